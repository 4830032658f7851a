using System.Text.Json;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Kube.Access;

namespace SecurityOperator.Tests.Manifests;

/// <summary>The RBAC under manifests/ against the code's own registry of API calls (RoleApiAccess): each role's
/// ServiceAccount (manifests/&lt;role&gt;/) is granted exactly what the role calls, nothing missing and nothing extra;
/// no wildcard anywhere; status subresources in rules of their own; bindings only to the roles' ServiceAccounts.</summary>
public class RbacManifestTests
{
    private const string OperatorNamespace = "security-operator";
    private static readonly string[] RoleKinds = ["Role", "ClusterRole"];
    private static readonly string[] BindingKinds = ["RoleBinding", "ClusterRoleBinding"];

    public static TheoryData<string> Roles => new(RoleApiAccess.Roles.Order(StringComparer.Ordinal));

    private static IEnumerable<ManifestDocument> RbacRoles => ManifestTree.Objects.Where(d => RoleKinds.Contains(d.Kind));

    private static IEnumerable<ManifestDocument> Bindings => ManifestTree.Objects.Where(d => BindingKinds.Contains(d.Kind));

    private static IEnumerable<JsonElement> Rules(ManifestDocument role) =>
        role.Object.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array ? rules.EnumerateArray() : [];

    [Fact]
    public void No_rule_uses_a_wildcard()
    {
        var found = new List<string>();
        foreach (var role in RbacRoles)
            foreach (var (rule, index) in Rules(role).Select((r, i) => (r, i)))
                foreach (var field in new[] { "apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs" })
                    foreach (var value in ManifestTree.Strings(rule, field).Where(v => v.Contains('*')))
                        found.Add($"{role}: rules[{index}].{field} has '{value}'");
        Assert.True(found.Count == 0, "RBAC wildcards (grant every current and future API):\n" + string.Join("\n", found));
    }

    [Fact]
    public void No_role_aggregates_and_no_binding_uses_a_built_in_role()
    {
        var problems = RbacRoles.Where(r => r.Object.TryGetProperty("aggregationRule", out _))
            .Select(r => $"{r}: aggregationRule (its grants would come from whatever else carries the labels)").ToList();
        foreach (var binding in Bindings)
        {
            var name = binding.Object.GetProperty("roleRef").GetProperty("name").GetString() ?? "";
            if (name is "cluster-admin" or "admin" or "edit" or "view" || name.StartsWith("system:", StringComparison.Ordinal))
                problems.Add($"{binding}: binds the built-in role {name}, which grants more than any role of the operator calls");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Subresources_such_as_status_are_granted_in_rules_of_their_own()
    {
        var mixed = new List<string>();
        foreach (var role in RbacRoles)
            foreach (var (rule, index) in Rules(role).Select((r, i) => (r, i)))
            {
                var resources = ManifestTree.Strings(rule, "resources").ToList();
                if (resources.Any(r => r.Contains('/')) && resources.Any(r => !r.Contains('/')))
                    mixed.Add($"{role}: rules[{index}] mixes {string.Join(", ", resources)}");
            }
        Assert.True(mixed.Count == 0, "a subresource must have its own rule (its verbs differ from the resource's):\n" + string.Join("\n", mixed));
    }

    [Fact]
    public void The_crd_admin_role_names_exactly_the_crds_of_manifests_crds()
    {
        var admin = Assert.Single(ManifestTree.OfKind("ClusterRole"), r => r.Name == "security-operator-crd-admin");
        var rules = Rules(admin).ToList();
        Assert.All(rules, r => Assert.Equal(["apiextensions.k8s.io"], ManifestTree.Strings(r, "apiGroups")));
        Assert.All(rules, r => Assert.Equal(["customresourcedefinitions"], ManifestTree.Strings(r, "resources")));
        var named = rules.Where(r => r.TryGetProperty("resourceNames", out _)).ToList();
        Assert.All(rules.Except(named), r => Assert.Equal(["create"], ManifestTree.Strings(r, "verbs")));

        var crds = ManifestTree.OfKind("CustomResourceDefinition").Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(crds);
        Assert.All(named, r => Assert.Equal(crds, ManifestTree.Strings(r, "resourceNames").Order(StringComparer.Ordinal)));
        Assert.False(Bindings.Any(b => b.Object.GetProperty("roleRef").GetProperty("name").GetString() == admin.Name),
            "security-operator-crd-admin is for the install pipeline; no manifest may bind it to a runtime identity");
    }

    [Fact]
    public void Bindings_bind_only_the_service_accounts_of_the_roles()
    {
        // Each role's ServiceAccount in the namespace its manifest puts it in (the node agent has a namespace of its own).
        var roleAccounts = RoleApiAccess.Roles.SelectMany(RoleServiceAccounts).Select(sa => $"{sa.Namespace}/{sa.Name}").ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var binding in Bindings)
            foreach (var subject in Subjects(binding))
            {
                var kind = subject.GetProperty("kind").GetString();
                var name = subject.GetProperty("name").GetString() ?? "";
                var ns = subject.TryGetProperty("namespace", out var n) ? n.GetString() : null;
                if (kind != "ServiceAccount" || !roleAccounts.Contains($"{ns}/{name}"))
                    problems.Add($"{binding}: subject {kind} {ns}/{name} is not the ServiceAccount of a role in manifests/<role>/");
            }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void The_service_account_of_each_role_is_granted_exactly_what_the_role_calls(string role)
    {
        var calls = RoleApiAccess.For(role).ToHashSet();
        var folder = Path.Combine(ManifestTree.Root, role);
        if (!Directory.Exists(folder))
        {
            Assert.True(calls.Count == 0,
                $"role {role} calls the API ({string.Join(", ", calls.Order(Comparer))}) but manifests/{role}/ does not exist: " +
                "it needs a ServiceAccount bound to exactly these permissions");
            return;
        }

        var account = Assert.Single(RoleServiceAccounts(role));
        var problems = new List<string>();
        var granted = GrantsOf(account, problems);
        var missing = calls.Except(granted).Order(Comparer).ToList();
        var extra = granted.Except(calls).Order(Comparer).ToList();
        if (missing.Count > 0) problems.Add($"the role's code calls, but RBAC does not grant: {string.Join(", ", missing)}");
        if (extra.Count > 0) problems.Add($"RBAC grants, but the role's code never calls: {string.Join(", ", extra)}");
        Assert.True(problems.Count == 0, $"ServiceAccount {account.Name} of role {role} (RoleApiAccess.For(\"{role}\")):\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Workloads_of_a_role_run_as_its_service_account(string role)
    {
        var workloads = ManifestTree.Objects.Where(d => d.File.StartsWith(role + "/", StringComparison.Ordinal) && PodSpec(d.Object) is not null).ToList();
        if (workloads.Count == 0) return;
        var account = Assert.Single(RoleServiceAccounts(role));
        Assert.All(workloads, w => Assert.Equal(account.Name, PodSpec(w.Object)!.Value.TryGetProperty("serviceAccountName", out var n) ? n.GetString() : null));
    }

    [Fact]
    public void Service_accounts_never_automount_a_token()
    {
        var automounting = ManifestTree.OfKind("ServiceAccount")
            .Where(sa => !(sa.Object.TryGetProperty("automountServiceAccountToken", out var a) && a.ValueKind == JsonValueKind.False))
            .Select(sa => sa.ToString()).ToList();
        Assert.True(automounting.Count == 0, "ServiceAccounts without automountServiceAccountToken: false:\n" + string.Join("\n", automounting));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void A_pod_gets_a_short_lived_token_only_when_its_role_calls_the_api(string role)
    {
        var callsApi = RoleApiAccess.For(role).Count > 0;
        foreach (var workload in ManifestTree.Objects.Where(d => d.File.StartsWith(role + "/", StringComparison.Ordinal)))
        {
            if (PodSpec(workload.Object) is not { } pod) continue;
            Assert.False(pod.TryGetProperty("automountServiceAccountToken", out var auto) && auto.ValueKind == JsonValueKind.True,
                $"{workload}: automountServiceAccountToken: true mounts a one-year token; use the projected volume");
            var tokens = (pod.TryGetProperty("volumes", out var volumes) ? volumes.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Where(v => v.TryGetProperty("projected", out var p) && p.GetProperty("sources").EnumerateArray().Any(s => s.TryGetProperty("serviceAccountToken", out _)))
                .ToList();
            if (!callsApi)
            {
                Assert.True(tokens.Count == 0, $"{workload}: role {role} never calls the API but mounts a token");
                continue;
            }
            var token = Assert.Single(tokens);
            var source = token.GetProperty("projected").GetProperty("sources").EnumerateArray().First(s => s.TryGetProperty("serviceAccountToken", out _));
            Assert.Equal(3600, source.GetProperty("serviceAccountToken").GetProperty("expirationSeconds").GetInt32());
            var name = token.GetProperty("name").GetString();
            var mounts = pod.GetProperty("containers").EnumerateArray()
                .SelectMany(c => c.TryGetProperty("volumeMounts", out var m) ? m.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Where(m => m.GetProperty("name").GetString() == name).ToList();
            Assert.NotEmpty(mounts);
            Assert.All(mounts, m => Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", m.GetProperty("mountPath").GetString()));
            Assert.All(mounts, m => Assert.True(m.TryGetProperty("readOnly", out var ro) && ro.ValueKind == JsonValueKind.True, $"{workload}: token mount not readOnly"));
        }
    }

    private static readonly Comparer<ApiAccess> Comparer = Comparer<ApiAccess>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));

    private static IEnumerable<ManifestDocument> RoleServiceAccounts(string role) =>
        ManifestTree.OfKind("ServiceAccount").Where(sa => sa.File.StartsWith(role + "/", StringComparison.Ordinal));

    private static IEnumerable<JsonElement> Subjects(ManifestDocument binding) =>
        binding.Object.TryGetProperty("subjects", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray() : [];

    /// <summary>What every binding of <paramref name="account"/> grants, rule by rule expanded to (group, resource,
    /// verb). A rule narrowed by resourceNames still counts as a grant of its triples (it is never broader).</summary>
    private static HashSet<ApiAccess> GrantsOf(ManifestDocument account, List<string> problems)
    {
        var granted = new HashSet<ApiAccess>();
        foreach (var binding in Bindings)
        {
            if (!Subjects(binding).Any(s => s.GetProperty("kind").GetString() == "ServiceAccount"
                    && s.GetProperty("name").GetString() == account.Name
                    && (s.TryGetProperty("namespace", out var n) ? n.GetString() : null) == account.Namespace))
                continue;
            var roleRef = binding.Object.GetProperty("roleRef");
            var kind = roleRef.GetProperty("kind").GetString();
            var name = roleRef.GetProperty("name").GetString();
            var target = RbacRoles.FirstOrDefault(r => r.Kind == kind && r.Name == name
                && (kind == "ClusterRole" || r.Namespace == binding.Namespace));
            if (target is null)
            {
                problems.Add($"{binding} refers to {kind} {name}, which is not in manifests/ (in namespace {binding.Namespace ?? "-"})");
                continue;
            }
            foreach (var rule in Rules(target))
            {
                foreach (var url in ManifestTree.Strings(rule, "nonResourceURLs")) problems.Add($"{target} grants nonResourceURL {url}");
                foreach (var group in ManifestTree.Strings(rule, "apiGroups"))
                    foreach (var resource in ManifestTree.Strings(rule, "resources"))
                        foreach (var verb in ManifestTree.Strings(rule, "verbs"))
                            granted.Add(new ApiAccess(group, resource, verb));
            }
        }
        return granted;
    }

    internal static JsonElement? PodSpec(JsonElement obj)
    {
        if (!obj.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object) return null;
        if (spec.TryGetProperty("template", out var t) && t.TryGetProperty("spec", out var ts)) return ts;
        if (spec.TryGetProperty("jobTemplate", out var jt)) return jt.GetProperty("spec").GetProperty("template").GetProperty("spec");
        return obj.GetProperty("kind").GetString() == "Pod" ? spec : null;
    }
}
