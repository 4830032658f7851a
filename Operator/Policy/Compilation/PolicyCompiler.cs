using System.Text.Json;
using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Selectors;
using SecurityOperator.Policy.Api;

namespace SecurityOperator.Policy.Compilation;

/// <summary>Validates a SecurityPolicy / ClusterSecurityPolicy and compiles it into an immutable
/// <see cref="CompiledPolicy"/>. Collects every error (not only the first), each naming its field path
/// (<c>spec.rules[2].conditions[0].imageNotFromRegistry: must be a non-empty list of registry prefixes</c>); unknown
/// fields and unknown condition keys are errors. Never throws on bad input.</summary>
public static partial class PolicyCompiler
{
    public const string ApiVersion = "security.io/v1";

    /// <summary>Compiles a policy from its JSON. <paramref name="defaultNamespace"/> is used for a SecurityPolicy
    /// without metadata.namespace (as kubectl uses the context's namespace).</summary>
    public static PolicyCompilation Compile(ReadOnlySpan<byte> json, string? defaultNamespace = null)
    {
        SecurityPolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize(json, PolicyJsonContext.Default.SecurityPolicy);
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 2 } p ? p[2..] : "(document)";
            return new PolicyCompilation(null, [$"{path}: {FirstSentence(e.Message)}"]);
        }
        if (policy is null) return new PolicyCompilation(null, ["(document): must be a JSON object, found null"]);
        return policy.Kind switch
        {
            "SecurityPolicy" => Compile(policy, defaultNamespace),
            "ClusterSecurityPolicy" => CompileCore(policy.ApiVersion, policy.Metadata, policy.Spec, policy.Unknown, PolicyScope.Cluster, null),
            _ => new PolicyCompilation(null, [$"kind: \"{policy.Kind}\" is not SecurityPolicy or ClusterSecurityPolicy"]),
        };
    }

    public static PolicyCompilation Compile(SecurityPolicy policy, string? defaultNamespace = null) =>
        CompileCore(policy.ApiVersion, policy.Metadata, policy.Spec, policy.Unknown, PolicyScope.Namespaced, defaultNamespace);

    public static PolicyCompilation Compile(ClusterSecurityPolicy policy) =>
        CompileCore(policy.ApiVersion, policy.Metadata, policy.Spec, policy.Unknown, PolicyScope.Cluster, null);

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: $... | LineNumber: ..."; the path is already in front.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static PolicyCompilation CompileCore(string? apiVersion, ObjectMeta? metadata, SecurityPolicySpec? spec,
        Dictionary<string, JsonElement>? unknown, PolicyScope scope, string? defaultNamespace)
    {
        var errors = new List<string>();
        if (apiVersion != ApiVersion) errors.Add($"apiVersion: \"{apiVersion}\" is not {ApiVersion}");
        ReportUnknown(unknown, "", errors);
        var name = metadata?.Name;
        if (string.IsNullOrEmpty(name)) errors.Add("metadata.name: required");
        var ns = scope == PolicyScope.Namespaced ? (string.IsNullOrEmpty(metadata?.Namespace) ? defaultNamespace : metadata.Namespace) : null;
        if (scope == PolicyScope.Namespaced && string.IsNullOrEmpty(ns)) errors.Add("metadata.namespace: required for a SecurityPolicy (it applies to its own namespace)");
        if (scope == PolicyScope.Cluster && !string.IsNullOrEmpty(metadata?.Namespace)) errors.Add("metadata.namespace: must be empty for a ClusterSecurityPolicy (cluster-scoped)");
        if (spec is null)
        {
            errors.Add("spec: required");
            return new PolicyCompilation(null, errors);
        }
        ReportUnknown(spec.Unknown, "spec.", errors);

        var mode = ParseMode(spec.EnforcementMode, errors);
        // A policy with runtime rules only (for the node agent) needs no admission rules.
        var rules = spec.Runtime is not null && spec.Rules is null ? [] : CompileRules(spec.Rules, errors, scope, ns);
        var runtime = CompileRuntime(spec.Runtime, errors);
        CompiledLabelSelector? namespaceSelector = null, podSelector = null;
        if (spec.Targets is { } targets)
        {
            ReportUnknown(targets.Unknown, "spec.targets.", errors);
            if (targets.NamespaceSelector is { } nsSel) namespaceSelector = CompiledLabelSelector.Compile(nsSel, "spec.targets.namespaceSelector", errors);
            if (targets.PodSelector is { } podSel) podSelector = CompiledLabelSelector.Compile(podSel, "spec.targets.podSelector", errors);
        }
        var exclude = CompileExclude(spec.Exclude, errors);
        var remediation = CompileRemediation(spec.Remediation, errors);
        if (errors.Count > 0) return new PolicyCompilation(null, errors);
        return new PolicyCompilation(
            new CompiledPolicy(name!, ns, scope, metadata?.Generation, mode, namespaceSelector, podSelector, exclude, rules, remediation, runtime), []);
    }

    internal static void ReportUnknown(Dictionary<string, JsonElement>? unknown, string prefix, List<string> errors)
    {
        if (unknown is null) return;
        foreach (var key in unknown.Keys.Order(StringComparer.Ordinal)) errors.Add($"{prefix}{key}: unknown field");
    }

    private static EnforcementMode ParseMode(string? mode, List<string> errors)
    {
        switch (mode)
        {
            case null or "enforce": return EnforcementMode.Enforce;
            case "warn": return EnforcementMode.Warn;
            case "dryrun": return EnforcementMode.DryRun;
            default:
                errors.Add($"spec.enforcementMode: \"{mode}\" is not one of enforce, dryrun, warn");
                return EnforcementMode.Enforce;
        }
    }

    private static CompiledExclusions CompileExclude(PolicyExclude? exclude, List<string> errors)
    {
        if (exclude is null) return CompiledExclusions.None;
        ReportUnknown(exclude.Unknown, "spec.exclude.", errors);
        List<string> Strings(List<string>? values, string field)
        {
            var result = new List<string>();
            for (var i = 0; i < (values?.Count ?? 0); i++)
            {
                if (string.IsNullOrWhiteSpace(values![i])) errors.Add($"spec.exclude.{field}[{i}]: must be a non-empty string");
                else result.Add(values[i]);
            }
            return result;
        }
        return new CompiledExclusions(Strings(exclude.Namespaces, "namespaces"), Strings(exclude.ServiceAccounts, "serviceAccounts"), Strings(exclude.Users, "users"));
    }

    private static CompiledRemediation CompileRemediation(PolicyRemediation? remediation, List<string> errors)
    {
        if (remediation is null) return CompiledRemediation.None;
        ReportUnknown(remediation.Unknown, "spec.remediation.", errors);
        NotifyAction? notify = null;
        QuarantineAction? quarantine = null;
        for (var i = 0; i < (remediation.Actions?.Count ?? 0); i++)
        {
            var path = $"spec.remediation.actions[{i}]";
            var action = remediation.Actions![i];
            if (ActionParser.SingleKey(action, path, errors) is not { } pair) continue;
            switch (pair.Key)
            {
                case "notify": notify = ActionParser.ParseNotify(pair.Value, $"{path}.notify", errors); break;
                case "quarantine": quarantine = ActionParser.ParseQuarantine(pair.Value, $"{path}.quarantine", errors); break;
                default: errors.Add($"{path}: unknown remediation action \"{pair.Key}\" (expected notify or quarantine)"); break;
            }
        }
        return new CompiledRemediation(remediation.Automatic ?? false, notify, quarantine);
    }
}
