using System.Text.Json.Nodes;
using SecurityOperator.Compliance;
using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Rbac;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Compliance.Rbac;

/// <summary>Section 5 over objects listed from the API double: each check with an offender and a clean counterpart,
/// every request declared in ComplianceApiAccess, and the ClusterPolicyReport the scan publishes.</summary>
public class ClusterPolicyScannerTests
{
    private static void SeedFixtures(ApiServerDouble api)
    {
        api.Seed(ResourceCatalog.ClusterRoleBindings, Node("""{"metadata":{"name":"cluster-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"Group","name":"system:masters","apiGroup":"rbac.authorization.k8s.io"}]}"""));
        api.Seed(ResourceCatalog.ClusterRoleBindings, Node("""{"metadata":{"name":"ci-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"ServiceAccount","name":"deployer","namespace":"ci"}]}"""));
        api.Seed(ResourceCatalog.RoleBindings, Node("""{"metadata":{"name":"uses-default","namespace":"shop"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"ServiceAccount","name":"default","namespace":"shop"}]}"""));
        api.Seed(ResourceCatalog.ClusterRoles, Node("""{"metadata":{"name":"everything"},"rules":[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}]}"""));
        api.Seed(ResourceCatalog.ClusterRoles, Node("""{"metadata":{"name":"admin"},"rules":[{"apiGroups":[""],"resources":["secrets","pods"],"verbs":["get","create"]}]}"""));
        api.Seed(ResourceCatalog.Roles, Node("""{"metadata":{"name":"reader","namespace":"shop"},"rules":[{"apiGroups":[""],"resources":["secrets","configmaps"],"verbs":["get","list"]},{"apiGroups":[""],"resources":["pods"],"verbs":["create","delete"]}]}"""));
        api.Seed(ResourceCatalog.Roles, Node("""{"metadata":{"name":"harmless","namespace":"shop"},"rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["get"]}]}"""));
        api.Seed(ResourceCatalog.ServiceAccounts, Node("""{"metadata":{"name":"default","namespace":"shop"}}"""));
        api.Seed(ResourceCatalog.ServiceAccounts, Node("""{"metadata":{"name":"default","namespace":"locked"},"automountServiceAccountToken":false}"""));
        api.Seed(ResourceCatalog.NetworkPolicies, Node("""{"metadata":{"name":"deny","namespace":"locked"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"]}}"""));
        api.Seed(ResourceCatalog.Pods, Node("""{"metadata":{"name":"debug","namespace":"shop"},"spec":{"hostPID":true,"hostNetwork":true,"containers":[{"name":"shell","image":"busybox:1.36","securityContext":{"privileged":true},"env":[{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}],"envFrom":[{"secretRef":{"name":"api-keys"}}]}]}}"""));
        api.Seed(ResourceCatalog.Pods, Node("""{"metadata":{"name":"quiet","namespace":"locked"},"spec":{"containers":[{"name":"app","image":"app:1.0"}]}}"""));
        api.Seed(ResourceCatalog.Pods, Node("""{"metadata":{"name":"kube-proxy-x","namespace":"kube-system"},"spec":{"hostNetwork":true,"automountServiceAccountToken":false,"containers":[{"name":"p","image":"kube-proxy:1.32","securityContext":{"privileged":true}}]}}"""));
    }

    private static JsonObject Node(string json) => JsonNode.Parse(json)!.AsObject();

    private static async Task<(ClusterObjects Objects, DoubleCluster Cluster)> Load()
    {
        var cluster = await DoubleCluster.StartAsync();
        SeedFixtures(cluster.Api);
        var objects = await new ClusterObjectLoader(cluster.Client).LoadAsync();
        return (objects, cluster);
    }

    [Fact]
    public async Task Pods_are_read_page_by_page_and_every_page_is_kept()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        const int count = KubeClient.DefaultPageSize * 2 + 7;
        for (var i = 0; i < count; i++)
            cluster.Api.Seed(ResourceCatalog.Pods, Node("{\"metadata\":{\"name\":\"p" + i + "\",\"namespace\":\"bulk\"},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"app:1.0\"}]}}"));

        var objects = await new ClusterObjectLoader(cluster.Client).LoadAsync();

        Assert.Equal(count, objects.Pods.Count);
        Assert.Equal(count, objects.Pods.Select(p => p.Name).Distinct().Count());
        Assert.Equal(3, cluster.Api.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/pods", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pods_fed_one_at_a_time_start_over_when_the_continue_token_expires()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        const int count = KubeClient.DefaultPageSize * 2 + 7;
        for (var i = 0; i < count; i++)
            cluster.Api.Seed(ResourceCatalog.Pods, Node("{\"metadata\":{\"name\":\"p" + i + "\",\"namespace\":\"bulk\"},\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"app:1.0\"}]}}"));
        cluster.Api.FailNext("GET", "continue=", 410, "Expired");
        var seen = new List<PodJson>();
        var restarts = 0;

        await new ClusterObjectLoader(cluster.Client).ForEachPodAsync(seen.Add, () => { restarts++; seen.Clear(); });

        Assert.Equal(1, restarts);
        Assert.Equal(count, seen.Count);
        Assert.Equal(count, seen.Select(p => p.Name).Distinct().Count());
        Assert.All(seen, p => Assert.Equal("bulk", p.Namespace));
        // First page, the expired second page, then the three pages again.
        Assert.Equal(5, cluster.Api.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/pods", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pods_checked_one_at_a_time_give_the_same_report_as_listed_pods()
    {
        var (objects, cluster) = await Load();
        await using var _ = cluster;
        var scanner = new ClusterPolicyScanner();
        var withoutPods = await new ClusterObjectLoader(cluster.Client).LoadWithoutPodsAsync();
        var pods = scanner.CheckPods(withoutPods.ServiceAccounts);
        pods.Check(new PodJson("shop", "dropped", "{\"spec\":{\"hostIPC\":true,\"containers\":[]}}"u8.ToArray()));
        pods.Clear();   // a restarted listing forgets what it was given
        foreach (var pod in objects.Pods) pods.Check(pod);
        var now = DateTimeOffset.Parse("2026-01-02T03:04:05Z");

        Assert.Empty(withoutPods.Pods);
        Assert.Equal(objects.Pods.Count, pods.Count);
        var expected = scanner.Scan(objects, now: now);
        var streamed = scanner.Scan(withoutPods, pods, now: now);
        Assert.Equal(expected.Results.Select(r => $"{r.Id} {r.Status}: {string.Join(" | ", r.Evidence)}"),
            streamed.Results.Select(r => $"{r.Id} {r.Status}: {string.Join(" | ", r.Evidence)}"));
        Assert.Contains(streamed.Results, r => r.Id == "5.2.4" && r.Evidence.SequenceEqual(["none found"]));
    }

    [Fact]
    public async Task Each_section_5_check_names_its_offenders_and_skips_built_ins()
    {
        var (objects, cluster) = await Load();
        await using var _ = cluster;
        var report = new ClusterPolicyScanner().Scan(objects);
        CisCheckResult R(string id) => report.Results.Single(r => r.Id == id);

        Assert.Equal(["ClusterRoleBinding ci-admin: cluster-admin to ServiceAccount ci/deployer"], R("5.1.1").Evidence);
        Assert.Equal(["ClusterRole everything: * on secrets", "Role shop/reader: get,list on secrets"], R("5.1.2").Evidence);
        Assert.Equal(["ClusterRole everything: apiGroups [*] resources [*] verbs [*]"], R("5.1.3").Evidence);
        Assert.Equal(["ClusterRole everything: create on pods", "Role shop/reader: create on pods"], R("5.1.4").Evidence);
        Assert.Equal(["RoleBinding shop/uses-default: binds ClusterRole view to ServiceAccount shop/default",
            "ServiceAccount shop/default: automountServiceAccountToken is unset (true)"], R("5.1.5").Evidence);
        Assert.Equal(["Pod shop/debug: mounts the token of ServiceAccount default"], R("5.1.6").Evidence);   // locked's default SA opts out
        Assert.Equal(["Pod shop/debug: container shell spec.containers[0].securityContext.privileged"], R("5.2.2").Evidence);
        Assert.Equal(["Pod shop/debug: spec.hostPID"], R("5.2.3").Evidence);
        Assert.Equal(["none found"], R("5.2.4").Evidence);
        Assert.Equal(CheckStatus.Pass, R("5.2.4").Status);
        Assert.Equal(["Pod shop/debug: spec.hostNetwork"], R("5.2.5").Evidence);
        Assert.Contains("Namespace shop: no NetworkPolicy", R("5.3.2").Evidence);
        Assert.DoesNotContain(R("5.3.2").Evidence, e => e.Contains("locked") || e.Contains("kube-system"));
        Assert.Equal(["Pod shop/debug: container shell env DB_PASSWORD from Secret db", "Pod shop/debug: container shell envFrom Secret api-keys"], R("5.4.1").Evidence);
        Assert.All(report.Results.Where(r => r.Id != "5.2.4"), r => Assert.Equal(CheckStatus.Warn, r.Status));
    }

    [Fact]
    public async Task The_loader_makes_only_declared_calls()
    {
        var (_, cluster) = await Load();
        await using var _c = cluster;
        var undeclared = cluster.Api.Requests
            .Select(r => (Request: $"{r.Method} {r.Path}", Access: ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)))
            .Where(x => x.Access is null || !ComplianceApiAccess.ClusterScan.Contains(x.Access.Value)).Select(x => x.Request).ToList();
        Assert.Empty(undeclared);
    }

    [Fact]
    public void System_roles_and_bindings_are_not_offenders()
    {
        // The API double validates names as DNS subdomains, so objects named system:* are given directly here.
        var role = new RbacRole { Kind = "ClusterRole", Metadata = new ObjectMeta { Name = "system:controller:foo" },
            Rules = [new PolicyRule { ApiGroups = [""], Resources = ["secrets", "pods"], Verbs = ["*"] }] };
        var binding = new RbacBinding { Kind = "ClusterRoleBinding", Metadata = new ObjectMeta { Name = "system:foo" },
            RoleRef = new RoleRef { Kind = "ClusterRole", Name = "cluster-admin" }, Subjects = [new RbacSubject { Kind = "ServiceAccount", Name = "default", Namespace = "kube-system" }] };
        var report = new ClusterPolicyScanner().Scan(new ClusterObjects([role], [], [binding], [], [], [], [], []));
        Assert.All(report.Results, r => Assert.Equal(CheckStatus.Pass, r.Status));
    }

    [Fact]
    public void Evidence_is_bounded_per_check()
    {
        var accounts = Enumerable.Range(0, 80).Select(i => new ServiceAccount { Metadata = new ObjectMeta { Name = "default", Namespace = $"ns{i:D2}" } }).ToList();
        var objects = new ClusterObjects([], [], [], [], accounts, [], [], []);
        var evidence = new ClusterPolicyScanner(new ClusterPolicyScanOptions { MaxEvidencePerCheck = 10 }).Scan(objects)
            .Results.Single(r => r.Id == "5.1.5").Evidence;
        Assert.Equal(11, evidence.Count);
        Assert.Equal("... and 70 more", evidence[^1]);
    }

    [Fact]
    public async Task The_cluster_policy_report_is_accepted_by_the_api_with_one_result_per_check()
    {
        var (objects, cluster) = await Load();
        await using var _ = cluster;
        cluster.Api.Register(ResourceCatalog.ClusterPolicyReports);
        using var tree = Cis.FakeHostTree.Compliant();
        var node = new CisScanner(new HostRoot(tree.Root), CisBenchmarkVersion.V1_12).Scan();
        var policies = new ClusterPolicyScanner().Scan(objects);
        var now = new DateTimeOffset(2026, 11, 22, 16, 0, 0, TimeSpan.Zero);
        var report = ClusterPolicyReportBuilder.Build("cis-benchmark", [node, policies], now);

        var stored = await cluster.Client.CreateAsync(KubeResource.ClusterPolicyReports, null, report, KubeJsonContext.Default.ClusterPolicyReport);
        Assert.Equal(node.Results.Count + policies.Results.Count, stored.Results!.Count);
        Assert.All(stored.Results, r => Assert.Equal("security-operator/cis", r.Source));
        Assert.Equal("security-operator", stored.Metadata.Labels!["app.kubernetes.io/managed-by"]);
        var manual = stored.Results.Single(r => r.Rule == "1.2.20");
        Assert.Equal("skip", manual.Result);
        var warn = stored.Results.Single(r => r.Rule == "5.2.3");
        Assert.Equal(("warn", "cis-1.12", "Pod shop/debug: spec.hostPID"), (warn.Result, warn.Policy, warn.Properties!["evidence"]));
        Assert.Equal(node.Summary.Pass + policies.Summary.Pass, stored.Summary!.Pass);
        Assert.Equal(now, stored.Results[0].Timestamp!.ToDateTimeOffset());
    }
}
