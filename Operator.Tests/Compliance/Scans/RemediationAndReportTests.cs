using System.Text.Json.Nodes;
using SecurityOperator.Compliance;
using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Rbac;
using SecurityOperator.Compliance.Remediation;
using SecurityOperator.Compliance.Reports;
using SecurityOperator.Compliance.Scans;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Compliance.Scans;

/// <summary>Remediation against the API double (dry-run writes nothing; apply changes exactly the allowed objects) and
/// the ClusterPolicyReport writer's bounds and ownership rule.</summary>
public sealed class RemediationAndReportTests
{
    private static JsonObject Node(string json) => JsonNode.Parse(json)!.AsObject();

    private static readonly IReadOnlySet<string> SkipKubeSystem = new HashSet<string> { "kube-system" };

    private static async Task<DoubleCluster> SeededAsync()
    {
        var cluster = await DoubleCluster.StartAsync();
        var api = cluster.Api;
        api.Seed(ResourceCatalog.ServiceAccounts, Node("""{"metadata":{"name":"default","namespace":"shop"}}"""));
        api.Seed(ResourceCatalog.ServiceAccounts, Node("""{"metadata":{"name":"default","namespace":"locked"},"automountServiceAccountToken":false}"""));
        api.Seed(ResourceCatalog.ServiceAccounts, Node("""{"metadata":{"name":"default","namespace":"kube-system"}}"""));
        api.Seed(ResourceCatalog.ServiceAccounts, Node("""{"metadata":{"name":"builder","namespace":"shop"}}"""));
        api.Seed(ResourceCatalog.ClusterRoleBindings, Node("""{"metadata":{"name":"ci-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"ServiceAccount","name":"deployer","namespace":"ci"}]}"""));
        api.Seed(ResourceCatalog.ClusterRoleBindings, Node("""{"metadata":{"name":"other-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"User","name":"alice"}]}"""));
        api.Seed(ResourceCatalog.RoleBindings, Node("""{"metadata":{"name":"uses-default","namespace":"shop"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"ServiceAccount","name":"default","namespace":"shop"}]}"""));
        api.Seed(ResourceCatalog.RoleBindings, Node("""{"metadata":{"name":"harmless","namespace":"shop"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"ServiceAccount","name":"builder","namespace":"shop"}]}"""));
        return cluster;
    }

    private static readonly BindingAllowList Allowed = BindingAllowList.Parse(
        ["ClusterRoleBinding/ci-admin", "RoleBinding/shop/uses-default", "RoleBinding/shop/harmless", "ClusterRoleBinding/gone"]);

    private static string Summary(IEnumerable<RemediationAction> actions) => string.Join("\n", actions.Select(a => a.ToString()));

    [Fact]
    public async Task Dry_run_plans_and_reports_every_action_and_changes_nothing()
    {
        await using var cluster = await SeededAsync();
        var objects = await new ClusterObjectLoader(cluster.Client).LoadAsync();
        cluster.Api.ClearRequestLog();
        var actions = await new ComplianceRemediator(cluster.Client, RemediationMode.DryRun, Allowed, SkipKubeSystem).RunAsync(objects, CancellationToken.None);

        Assert.Empty(cluster.Api.Requests);
        Assert.Equal("""
            planned: disable-automount ServiceAccount shop/default
            planned: delete-binding ClusterRoleBinding ci-admin
            refused: delete-binding RoleBinding shop/harmless (allow-listed, but it neither grants cluster-admin (5.1.1) nor binds a default ServiceAccount (5.1.5))
            planned: delete-binding RoleBinding shop/uses-default
            refused: delete-binding ClusterRoleBinding gone (allow-listed, but no such binding exists)
            """, Summary(actions));
        Assert.Equal(["5.1.5", "5.1.1", "-", "5.1.5", "-"], actions.Select(a => a.Check));
    }

    [Fact]
    public async Task Apply_changes_exactly_the_allowed_objects_with_declared_calls()
    {
        await using var cluster = await SeededAsync();
        var objects = await new ClusterObjectLoader(cluster.Client).LoadAsync();
        cluster.Api.ClearRequestLog();
        var actions = await new ComplianceRemediator(cluster.Client, RemediationMode.Apply, Allowed, SkipKubeSystem).RunAsync(objects, CancellationToken.None);

        Assert.Equal(["PATCH /api/v1/namespaces/shop/serviceaccounts/default", "DELETE /apis/rbac.authorization.k8s.io/v1/clusterrolebindings/ci-admin",
            "DELETE /apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings/uses-default"],
            cluster.Api.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.All(cluster.Api.Requests, r => Assert.Contains(ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)!.Value, ComplianceScanApiAccess.Controller));
        Assert.Equal(3, actions.Count(a => a.Outcome == RemediationAction.Applied));
        Assert.False(cluster.Api.Get(ResourceCatalog.ServiceAccounts, "shop", "default")!.Object["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.Null(cluster.Api.Get(ResourceCatalog.ServiceAccounts, "kube-system", "default")!.Object["automountServiceAccountToken"]);
        Assert.Null(cluster.Api.Get(ResourceCatalog.ServiceAccounts, "shop", "builder")!.Object["automountServiceAccountToken"]);
        Assert.Null(cluster.Api.Get(ResourceCatalog.ClusterRoleBindings, "", "ci-admin"));
        Assert.Null(cluster.Api.Get(ResourceCatalog.RoleBindings, "shop", "uses-default"));
        Assert.NotNull(cluster.Api.Get(ResourceCatalog.ClusterRoleBindings, "", "other-admin"));   // offends 5.1.1 but is not allow-listed
        Assert.NotNull(cluster.Api.Get(ResourceCatalog.RoleBindings, "shop", "harmless"));
    }

    [Fact]
    public async Task Apply_leaves_an_object_changed_since_the_scan_and_reports_the_failure()
    {
        await using var cluster = await SeededAsync();
        var objects = await new ClusterObjectLoader(cluster.Client).LoadAsync();
        cluster.Api.Update(ResourceCatalog.ClusterRoleBindings, Node("""{"metadata":{"name":"ci-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"ServiceAccount","name":"deployer","namespace":"ci"},{"kind":"User","name":"bob"}]}"""));
        var actions = await new ComplianceRemediator(cluster.Client, RemediationMode.Apply, BindingAllowList.Parse(["ClusterRoleBinding/ci-admin"]), SkipKubeSystem)
            .RunAsync(objects, CancellationToken.None);
        Assert.Equal(RemediationAction.Failed, actions.Single(a => a.Action == RemediationAction.DeleteBinding).Outcome);
        Assert.NotNull(cluster.Api.Get(ResourceCatalog.ClusterRoleBindings, "", "ci-admin"));
    }

    [Fact]
    public void A_built_in_system_binding_is_refused_whatever_the_allow_list_says()
    {
        // (The API double refuses names with ':', real RBAC accepts them: this one is planned from listed objects.)
        var binding = new RbacBinding
        {
            Kind = "ClusterRoleBinding", Metadata = new ObjectMeta { Name = "system:node-proxier" },
            RoleRef = new RoleRef { Kind = "ClusterRole", Name = "cluster-admin" }, Subjects = [new RbacSubject { Kind = "User", Name = "system:kube-proxy" }],
        };
        var objects = new ClusterObjects([], [], [binding], [], [], [], [], []);
        var action = Assert.Single(ComplianceRemediator.Plan(objects, BindingAllowList.Parse(["ClusterRoleBinding/system:node-proxier"]), SkipKubeSystem));
        Assert.Equal("refused: delete-binding ClusterRoleBinding system:node-proxier (a built-in system: binding is never deleted)", action.ToString());
    }

    [Theory]
    [InlineData("ClusterRoleBinding/a,RoleBinding/ns/b", null)]
    [InlineData("RoleBinding/b", "\"RoleBinding/b\" is not ClusterRoleBinding/NAME or RoleBinding/NAMESPACE/NAME")]
    [InlineData("Role/x", "\"Role/x\" is not ClusterRoleBinding/NAME or RoleBinding/NAMESPACE/NAME")]
    public void The_allow_list_flag_names_bindings_exactly(string value, string? problem) => Assert.Equal(problem, BindingAllowList.Validate(value));

    private static ClusterPolicyReport Desired(int warn, int pass, string evidence = "e")
    {
        var results = Enumerable.Range(0, warn).Select(i => Check($"5.1.{i}", CheckStatus.Warn, evidence))
            .Concat(Enumerable.Range(0, pass).Select(i => Check($"4.2.{i}", CheckStatus.Pass, evidence))).ToList();
        var report = new CisReport { Benchmark = "cis-1.12", GeneratedAt = DateTimeOffset.UnixEpoch, Results = results, NotApplicable = [], Summary = new CisSummary { Warn = warn, Pass = pass } };
        return ClusterPolicyReportBuilder.Build("cis-test", [report], DateTimeOffset.UtcNow);
    }

    private static CisCheckResult Check(string id, CheckStatus status, string evidence) => new()
    {
        Id = id, Title = "t", Section = id[..3], Component = "cluster", Status = status, Expected = "x", Evidence = [evidence], Remediation = "r",
    };

    [Fact]
    public async Task The_writer_keeps_the_most_severe_results_within_its_bounds_and_counts_all_in_the_summary()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Register(ResourceCatalog.ClusterPolicyReports);
        var writer = new ClusterPolicyReportWriter(cluster.Client) { MaxResults = 5 };
        Assert.True(await writer.WriteAsync(Desired(warn: 3, pass: 7), CancellationToken.None));
        var stored = cluster.Api.Get(ResourceCatalog.ClusterPolicyReports, "", "cis-test")!.Object;
        var results = stored["results"]!.AsArray();
        Assert.Equal(5, results.Count);
        Assert.Equal(3, results.Count(r => r!["result"]!.GetValue<string>() == "warn"));
        Assert.Equal((3, 7), (stored["summary"]!["warn"]!.GetValue<int>(), stored["summary"]!["pass"]!.GetValue<int>()));
        Assert.Equal("5 of 10 results left out (the summary counts all)", stored["metadata"]!["annotations"]![ClusterPolicyReportWriter.TruncatedAnnotation]!.GetValue<string>());

        // Bytes bound too: 100 results of 1,000 characters each do not fit in 20,000 bytes.
        var small = new ClusterPolicyReportWriter(cluster.Client) { MaxBytes = 20_000 };
        var big = Desired(warn: 100, pass: 0, evidence: new string('x', 1000));
        big.Metadata.Name = "cis-big";
        Assert.True(await small.WriteAsync(big, CancellationToken.None));
        var bigStored = cluster.Api.Get(ResourceCatalog.ClusterPolicyReports, "", "cis-big")!.Object;
        Assert.InRange(bigStored["results"]!.AsArray().Count, 1, 19);
        Assert.Equal(100, bigStored["summary"]!["warn"]!.GetValue<int>());

        // Same content with new timestamps: nothing written.
        cluster.Api.ClearRequestLog();
        Assert.False(await writer.WriteAsync(Desired(warn: 3, pass: 7), CancellationToken.None));
        Assert.DoesNotContain(cluster.Api.Requests, r => r.Method != "GET");
    }

    [Fact]
    public async Task The_writer_never_overwrites_a_report_it_does_not_manage()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Register(ResourceCatalog.ClusterPolicyReports);
        cluster.Api.Seed(ResourceCatalog.ClusterPolicyReports, Node("""{"apiVersion":"wgpolicyk8s.io/v1alpha2","kind":"ClusterPolicyReport","metadata":{"name":"cis-test"},"results":[]}"""));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new ClusterPolicyReportWriter(cluster.Client).WriteAsync(Desired(1, 1), CancellationToken.None));
        Assert.Contains("ClusterPolicyReport cis-test exists without the label app.kubernetes.io/managed-by=security-operator", e.Message);
        Assert.Empty(cluster.Api.Get(ResourceCatalog.ClusterPolicyReports, "", "cis-test")!.Object["results"]!.AsArray());
    }
}
