using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>What one apply pass did (or, in dry run, would do) in one namespace.</summary>
public sealed record ApplyOutcome(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, IReadOnlyList<string> Deleted,
    IReadOnlyList<string> Unchanged, IReadOnlyList<string> Conflicts)
{
    public bool ChangedAnything => Created.Count + Updated.Count + Deleted.Count > 0;
}

/// <summary>Brings the managed NetworkPolicies of one purpose in one namespace to a desired set: creates what is
/// missing, replaces what has a different content hash, deletes managed ones no longer desired. Objects without the
/// managed-by label are never changed: a user's policy with the same name is reported as a conflict and left alone.</summary>
public sealed class ManagedPolicyApplier(KubeClient client, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public async Task<ApplyOutcome> ApplyAsync(string ns, string purpose, IReadOnlyList<NetworkPolicy> desired, bool dryRun,
        CancellationToken cancellationToken = default)
    {
        var type = KubeJsonContext.Default.NetworkPolicy;
        var existing = (await client.ListAllAsync(KubeResource.NetworkPolicies, ns, KubeJsonContext.Default.KubeListNetworkPolicy,
            new ListOptions { LabelSelector = ManagedNetworkPolicy.Selector(purpose) }, cancellationToken: cancellationToken).ConfigureAwait(false))
            .Items.Where(ManagedNetworkPolicy.IsManaged).ToDictionary(p => p.Metadata.Name ?? "", StringComparer.Ordinal);
        List<string> created = [], updated = [], deleted = [], unchanged = [], conflicts = [];
        foreach (var policy in desired)
        {
            var name = policy.Metadata.Name!;
            if (existing.Remove(name, out var current))
            {
                if (ManagedNetworkPolicy.HashOf(current) == ManagedNetworkPolicy.HashOf(policy)) { unchanged.Add(name); continue; }
                updated.Add(name);
                if (dryRun) continue;
                policy.Metadata.ResourceVersion = current.Metadata.ResourceVersion;
                await client.ReplaceAsync(KubeResource.NetworkPolicies, ns, policy, type, cancellationToken: cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("updated NetworkPolicy {Namespace}/{Name} ({Purpose})", ns, name, purpose);
                continue;
            }
            if (dryRun) { created.Add(name); continue; }
            try
            {
                await client.CreateAsync(KubeResource.NetworkPolicies, ns, policy, type, cancellationToken: cancellationToken).ConfigureAwait(false);
                created.Add(name);
                _logger.LogInformation("created NetworkPolicy {Namespace}/{Name} ({Purpose})", ns, name, purpose);
            }
            catch (KubeAlreadyExistsException)
            {
                conflicts.Add(name);
                _logger.LogWarning("NetworkPolicy {Namespace}/{Name} exists and is not managed by security-operator: left alone", ns, name);
            }
        }
        foreach (var name in existing.Keys.Order(StringComparer.Ordinal))
        {
            deleted.Add(name);
            if (dryRun) continue;
            try
            {
                await client.DeleteAsync(KubeResource.NetworkPolicies, ns, name, type, cancellationToken: cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("deleted NetworkPolicy {Namespace}/{Name} ({Purpose})", ns, name, purpose);
            }
            catch (KubeNotFoundException)
            {
                // Already gone: the outcome is the same.
            }
        }
        return new ApplyOutcome(created, updated, deleted, unchanged, conflicts);
    }
}
