using SecurityOperator.Compliance.Cis;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.Rbac;

/// <summary>Section 5 checks over listed cluster objects: RBAC (5.1.x), pods through the policy engine (5.2.x),
/// namespaces without NetworkPolicy (5.3.2) and Secrets as environment variables (5.4.1). Built-in objects (names
/// starting with "system:", the cluster-admin binding of system:masters, the default admin/edit/cluster-admin roles)
/// are not offenders. Pods and namespaces in <see cref="ClusterPolicyScanOptions.SkipNamespaces"/> are skipped.</summary>
public sealed class ClusterPolicyScanner(ClusterPolicyScanOptions? options = null)
{
    private readonly ClusterPolicyScanOptions _options = options ?? new ClusterPolicyScanOptions();

    // Roles Kubernetes ships for people (user-facing roles): they grant broad rights by design.
    private static readonly HashSet<string> BuiltInRoles = new(StringComparer.Ordinal) { "cluster-admin", "admin", "edit", "view" };

    public CisReport Scan(ClusterObjects objects, CisBenchmarkVersion version = CisBenchmarkVersions.Latest, DateTimeOffset? now = null) =>
        Scan(objects, CheckPods(objects.ServiceAccounts), version, now);

    /// <summary>The pod checks (5.1.6, 5.2.x, 5.4.1) on their own, for pods fed one at a time
    /// (<see cref="ClusterObjectLoader.ForEachPodAsync"/>) so a scan never holds every pod of a large cluster;
    /// <paramref name="serviceAccounts"/> decide whether a pod that does not say mounts its token.</summary>
    public PodComplianceChecks CheckPods(IReadOnlyList<ServiceAccount> serviceAccounts) => new(serviceAccounts, _options.SkipNamespaces);

    /// <summary>The report over <paramref name="objects"/>; its pods are those of <paramref name="objects"/> plus those
    /// <paramref name="pods"/> has already checked.</summary>
    public CisReport Scan(ClusterObjects objects, PodComplianceChecks pods, CisBenchmarkVersion version = CisBenchmarkVersions.Latest, DateTimeOffset? now = null)
    {
        var offenders = ClusterPolicyChecks.All.ToDictionary(d => d.Id, _ => new List<string>());
        ScanBindings(objects, offenders);
        ScanRoles(objects, offenders);
        ScanServiceAccounts(objects, offenders);
        foreach (var pod in objects.Pods) pods.Check(pod);
        foreach (var (id, found) in pods.Offenders) offenders[id].AddRange(found);
        ScanNamespaces(objects, offenders);

        var summary = new CisSummary();
        var results = new List<CisCheckResult>();
        foreach (var check in ClusterPolicyChecks.All)
        {
            var found = offenders[check.Id];
            var status = found.Count == 0 ? CheckStatus.Pass : CheckStatus.Warn;
            summary.Count(status);
            results.Add(new CisCheckResult
            {
                Id = check.Id, Title = check.Title, Section = check.Id[..3], Level = check.Level, Automated = false,
                Component = "cluster", Status = status, Expected = "no offending object", Remediation = check.Remediation,
                Evidence = found.Count == 0 ? ["none found"] : Bounded(found),
            });
        }
        return new CisReport
        {
            Benchmark = CisBenchmarkVersions.Name(version), Host = null, GeneratedAt = now ?? DateTimeOffset.UtcNow,
            Results = results, NotApplicable = [], Summary = summary,
        };
    }

    private List<string> Bounded(List<string> found)
    {
        found.Sort(StringComparer.Ordinal);
        if (found.Count <= _options.MaxEvidencePerCheck) return found;
        var kept = found.Take(_options.MaxEvidencePerCheck).ToList();
        kept.Add($"... and {found.Count - _options.MaxEvidencePerCheck} more");
        return kept;
    }

    private static void ScanBindings(ClusterObjects objects, Dictionary<string, List<string>> offenders)
    {
        foreach (var binding in objects.ClusterRoleBindings.Concat(objects.RoleBindings))
        {
            var name = Describe(binding.Kind ?? "Binding", binding.Metadata);
            var subjects = binding.Subjects ?? [];
            var builtIn = IsSystem(binding.Metadata.Name) ||
                (binding.Metadata.Name == "cluster-admin" && subjects.All(s => s is { Kind: "Group", Name: "system:masters" }));
            if (binding.RoleRef is { Kind: "ClusterRole", Name: "cluster-admin" } && !builtIn)
                offenders[ClusterPolicyChecks.ClusterAdmin.Id].Add($"{name}: cluster-admin to {string.Join(", ", subjects)}");
            foreach (var subject in subjects)
                if (subject is { Kind: "ServiceAccount", Name: "default" } && !builtIn)
                    offenders[ClusterPolicyChecks.DefaultServiceAccounts.Id].Add($"{name}: binds {binding.RoleRef.Kind} {binding.RoleRef.Name} to {subject}");
        }
    }

    private static void ScanRoles(ClusterObjects objects, Dictionary<string, List<string>> offenders)
    {
        foreach (var role in objects.ClusterRoles.Concat(objects.Roles))
        {
            if (IsSystem(role.Metadata.Name) || (role.Metadata.Namespace is null && BuiltInRoles.Contains(role.Metadata.Name ?? ""))) continue;
            var name = Describe(role.Kind ?? "Role", role.Metadata);
            foreach (var rule in role.Rules ?? [])
            {
                var core = rule.ApiGroups is { } groups && (groups.Contains("") || groups.Contains("*"));
                var verbs = rule.Verbs;
                var resources = rule.Resources ?? [];
                if (verbs.Contains("*") || resources.Contains("*") || rule.ApiGroups?.Contains("*") == true)
                    offenders[ClusterPolicyChecks.Wildcards.Id].Add($"{name}: apiGroups [{string.Join(",", rule.ApiGroups ?? [])}] resources [{string.Join(",", resources)}] verbs [{string.Join(",", verbs)}]");
                if (!core) continue;
                var secretVerbs = verbs.Where(v => v is "get" or "list" or "watch" or "*").ToList();
                if (secretVerbs.Count > 0 && (resources.Contains("secrets") || resources.Contains("*")))
                    offenders[ClusterPolicyChecks.Secrets.Id].Add($"{name}: {string.Join(",", secretVerbs)} on secrets");
                if ((verbs.Contains("create") || verbs.Contains("*")) && (resources.Contains("pods") || resources.Contains("*")))
                    offenders[ClusterPolicyChecks.PodCreate.Id].Add($"{name}: create on pods");
            }
        }
    }

    private static void ScanServiceAccounts(ClusterObjects objects, Dictionary<string, List<string>> offenders)
    {
        foreach (var account in objects.ServiceAccounts)
            if (account.Metadata.Name == "default" && account.AutomountServiceAccountToken != false)
                offenders[ClusterPolicyChecks.DefaultServiceAccounts.Id].Add(
                    $"ServiceAccount {account.Metadata.Namespace}/default: automountServiceAccountToken is {(account.AutomountServiceAccountToken is null ? "unset (true)" : "true")}");
    }

    private void ScanNamespaces(ClusterObjects objects, Dictionary<string, List<string>> offenders)
    {
        var withPolicies = objects.NetworkPolicies.Select(p => p.Metadata.Namespace).ToHashSet(StringComparer.Ordinal);
        foreach (var ns in objects.Namespaces)
            if (ns.Metadata.Name is { } name && !_options.SkipNamespaces.Contains(name) && !withPolicies.Contains(name))
                offenders[ClusterPolicyChecks.NetworkPolicies.Id].Add($"Namespace {name}: no NetworkPolicy");
    }

    private static bool IsSystem(string? name) => name is not null && name.StartsWith("system:", StringComparison.Ordinal);

    private static string Describe(string kind, ObjectMeta meta) =>
        meta.Namespace is null ? $"{kind} {meta.Name}" : $"{kind} {meta.Namespace}/{meta.Name}";
}

/// <summary>Options of the section 5 scan.</summary>
public sealed record ClusterPolicyScanOptions
{
    /// <summary>kube-system runs the control plane's own host-network pods by design; skipping it is what operators
    /// expect from a policy scan (an explicit empty set scans it too).</summary>
    public IReadOnlySet<string> SkipNamespaces { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "kube-system" };

    /// <summary>Evidence lines kept per check, so a report on a large cluster stays bounded (the rest is counted).</summary>
    public int MaxEvidencePerCheck { get; init; } = 50;
}
