using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Compliance.Rbac;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.Remediation;

/// <summary>The only remediations done through the API, both reversible by hand: <c>automountServiceAccountToken:
/// false</c> on default ServiceAccounts (CIS 5.1.5; pods that set the field themselves are unaffected) and deleting a
/// (Cluster)RoleBinding that is named in <see cref="BindingAllowList"/> AND offends 5.1.1 (cluster-admin) or 5.1.5
/// (binds a default ServiceAccount). Built-in (system:) bindings are refused whatever the list says. Writes are
/// conditional on the resourceVersion (and uid for deletes) the scan saw, so an object changed since is left for the
/// next scan. Control-plane flags are never touched: their remediation stays text in the report.</summary>
public sealed class ComplianceRemediator(KubeClient client, RemediationMode mode, BindingAllowList bindings, IReadOnlySet<string> skipNamespaces,
    ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public RemediationMode Mode => mode;

    /// <summary>What would be done for <paramref name="objects"/> (every action Planned or Refused).</summary>
    public static List<RemediationAction> Plan(ClusterObjects objects, BindingAllowList bindings, IReadOnlySet<string> skipNamespaces)
    {
        var actions = new List<RemediationAction>();
        foreach (var account in objects.ServiceAccounts.OrderBy(a => a.Metadata.Namespace, StringComparer.Ordinal))
            if (account.Metadata.Name == "default" && account.AutomountServiceAccountToken != false && account.Metadata.Namespace is { } ns && !skipNamespaces.Contains(ns))
                actions.Add(new RemediationAction
                {
                    Check = ClusterPolicyChecks.DefaultServiceAccounts.Id, Action = RemediationAction.DisableAutomount,
                    Target = $"ServiceAccount {ns}/default", Namespace = ns, Name = "default",
                    Uid = account.Metadata.Uid, ResourceVersion = account.Metadata.ResourceVersion,
                });
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var binding in objects.ClusterRoleBindings.Concat(objects.RoleBindings))
        {
            var kind = binding.Kind ?? (binding.Metadata.Namespace is null ? "ClusterRoleBinding" : "RoleBinding");
            var name = binding.Metadata.Name ?? "";
            if (!bindings.Allows(kind, binding.Metadata.Namespace, name)) continue;
            seen.Add(BindingAllowList.EntryOf(kind, binding.Metadata.Namespace, name));
            var target = binding.Metadata.Namespace is null ? $"{kind} {name}" : $"{kind} {binding.Metadata.Namespace}/{name}";
            var check = Offense(binding);
            var action = new RemediationAction
            {
                Check = check ?? "-", Action = RemediationAction.DeleteBinding, Target = target, Namespace = binding.Metadata.Namespace, Name = name,
                Uid = binding.Metadata.Uid, ResourceVersion = binding.Metadata.ResourceVersion,
            };
            if (name.StartsWith("system:", StringComparison.Ordinal))
                (action.Outcome, action.Detail) = (RemediationAction.Refused, "a built-in system: binding is never deleted");
            else if (check is null)
                (action.Outcome, action.Detail) = (RemediationAction.Refused, "allow-listed, but it neither grants cluster-admin (5.1.1) nor binds a default ServiceAccount (5.1.5)");
            actions.Add(action);
        }
        foreach (var missing in bindings.Entries.Where(e => !seen.Contains(e)).Order(StringComparer.Ordinal))
            actions.Add(new RemediationAction
            {
                Check = "-", Action = RemediationAction.DeleteBinding, Target = $"{missing[..missing.IndexOf('/')]} {missing[(missing.IndexOf('/') + 1)..]}",
                Name = missing, Outcome = RemediationAction.Refused, Detail = "allow-listed, but no such binding exists",
            });
        return actions;
    }

    /// <summary>Plans (off: nothing), then in apply mode carries out each planned action. Every action is logged.</summary>
    public async Task<List<RemediationAction>> RunAsync(ClusterObjects objects, CancellationToken cancellationToken)
    {
        if (mode == RemediationMode.Off) return [];
        var actions = Plan(objects, bindings, skipNamespaces);
        foreach (var action in actions)
        {
            if (mode == RemediationMode.Apply && action.Outcome == RemediationAction.Planned)
                await ApplyAsync(action, cancellationToken).ConfigureAwait(false);
            _logger.Log(action.Outcome == RemediationAction.Failed ? LogLevel.Warning : LogLevel.Information,
                "Compliance remediation ({Mode}) for CIS {Check}: {Outcome} {Action} {Target}{Detail}", RemediationModes.Name(mode), action.Check,
                action.Outcome, action.Action, action.Target, action.Detail is null ? "" : $": {action.Detail}");
        }
        return actions;
    }

    private async Task ApplyAsync(RemediationAction action, CancellationToken cancellationToken)
    {
        try
        {
            if (action.Action == RemediationAction.DisableAutomount)
                await client.PatchAsync(KubeResource.ServiceAccounts, action.Namespace, action.Name, PatchType.Merge, AutomountPatch(action.ResourceVersion),
                    KubeJsonContext.Default.ServiceAccount, cancellationToken: cancellationToken).ConfigureAwait(false);
            else
                await client.DeleteAsync(action.Namespace is null ? RbacResources.ClusterRoleBindings : RbacResources.RoleBindings, action.Namespace, action.Name,
                    RbacJsonContext.Default.RbacBinding, new DeleteOptions { Preconditions = new Preconditions { Uid = action.Uid, ResourceVersion = action.ResourceVersion } },
                    cancellationToken).ConfigureAwait(false);
            action.Outcome = RemediationAction.Applied;
        }
        catch (KubeApiException e)
        {
            // Changed or gone since the scan listed it (409/404), or not permitted: the next scan plans again.
            (action.Outcome, action.Detail) = (RemediationAction.Failed, e.Message);
        }
    }

    // A merge patch; the resourceVersion in it is a precondition (409 when the account changed since the scan).
    private static byte[] AutomountPatch(string? resourceVersion)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (resourceVersion is not null)
            {
                json.WriteStartObject("metadata");
                json.WriteString("resourceVersion", resourceVersion);
                json.WriteEndObject();
            }
            json.WriteBoolean("automountServiceAccountToken", false);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The check a binding offends: 5.1.1 when it grants cluster-admin (not the built-in one of system:masters),
    /// 5.1.5 when a subject is a default ServiceAccount; null when neither (the same rules as the scan).</summary>
    private static string? Offense(RbacBinding binding)
    {
        var subjects = binding.Subjects ?? [];
        var builtIn = binding.Metadata.Name == "cluster-admin" && subjects.All(s => s is { Kind: "Group", Name: "system:masters" });
        if (binding.RoleRef is { Kind: "ClusterRole", Name: "cluster-admin" } && !builtIn) return ClusterPolicyChecks.ClusterAdmin.Id;
        if (subjects.Any(s => s is { Kind: "ServiceAccount", Name: "default" })) return ClusterPolicyChecks.DefaultServiceAccounts.Id;
        return null;
    }
}
