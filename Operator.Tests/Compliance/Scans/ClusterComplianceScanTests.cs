using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Compliance;
using SecurityOperator.Compliance.Rbac;
using SecurityOperator.Compliance.Remediation;
using SecurityOperator.Compliance.Scans;
using SecurityOperator.Controllers;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Kube.Watch;
using SecurityOperator.Tests.Policy.Cluster;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Compliance.Scans;

/// <summary>The controller's section 5 scan inside <see cref="ControllerRuntime"/> against the API double: the startup
/// and scheduled scans write cis-cluster, an unchanged cluster writes nothing, the request annotation triggers a scan
/// that a restarted controller does not repeat, and every call is declared for the controller's RBAC.</summary>
public sealed class ClusterComplianceScanTests
{
    private const string TriggerNamespace = "security-operator";

    private static JsonObject Node(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject? Report(ApiServerDouble api) => api.Get(ResourceCatalog.ClusterPolicyReports, "", ClusterComplianceScan.ReportName)?.Object;

    private static JsonObject Result(JsonObject report, string rule) =>
        report["results"]!.AsArray().Single(r => r!["rule"]!.GetValue<string>() == rule)!.AsObject();

    private static double Scans(MetricsRegistry metrics, string trigger, string result) =>
        metrics.CreateCounter("security_operator_compliance_scans_total", "", "scope", "trigger", "result").WithLabels("cluster", trigger, result).Value;

    private static void SeedCluster(ApiServerDouble api)
    {
        api.Seed(ResourceCatalog.Namespaces, Node($$$"""{"metadata":{"name":"{{{TriggerNamespace}}}"}}"""));
        api.Seed(ResourceCatalog.Namespaces, Node("""{"metadata":{"name":"shop"}}"""));
        api.Seed(ResourceCatalog.ServiceAccounts, Node("""{"metadata":{"name":"default","namespace":"shop"}}"""));
        api.Seed(ResourceCatalog.ClusterRoleBindings, Node("""{"metadata":{"name":"ci-admin"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"ServiceAccount","name":"deployer","namespace":"ci"}]}"""));
    }

    /// <summary>A controller (informers and leader work) on a shared cluster, stoppable without stopping the cluster.</summary>
    private sealed class RunningController : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public RunningController(DoubleCluster cluster, ComplianceSettings compliance)
        {
            Runtime = new ControllerRuntime(cluster.Client, new ControllerSettings { Compliance = compliance }, Metrics, NullLoggerFactory.Instance,
                PodInformerHarness.FastWatcher());
            _run = Task.WhenAll(Runtime.RunInformersAsync(_stop.Token), Runtime.LeadAsync(_stop.Token));
        }

        public MetricsRegistry Metrics { get; } = new();
        public ControllerRuntime Runtime { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await _run.WaitAsync(Eventually.Limit); }
            catch (OperationCanceledException) { }
        }
    }

    [Fact]
    public async Task The_startup_scan_writes_cis_cluster_with_the_section_5_results_and_the_json_document_and_an_unchanged_rescan_writes_nothing()
    {
        await using var cluster = await ShippedPolicyCluster.StartAsync();
        SeedCluster(cluster.Api);
        var time = new ManualTimeProvider();
        await using var controller = new RunningController(cluster, new ComplianceSettings { TimeProvider = time, TriggerNamespace = TriggerNamespace });

        await Eventually.WaitUntilAsync(() => Report(cluster.Api) is not null, "the startup scan to write cis-cluster");
        var report = Report(cluster.Api)!;
        Assert.Equal("security-operator", report["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal("dry-run", report["metadata"]!["annotations"]![ClusterPolicyReportBuilder.RemediationModeAnnotation]!.GetValue<string>());
        var results = report["results"]!.AsArray();
        Assert.Equal(12, results.Count);
        Assert.All(results, r => Assert.Equal("security-operator/cis", r!["source"]!.GetValue<string>()));
        var defaults = Result(report, "5.1.5");
        Assert.Equal("warn", defaults["result"]!.GetValue<string>());
        Assert.Contains("ServiceAccount shop/default: automountServiceAccountToken is unset (true)", defaults["properties"]!["evidence"]!.GetValue<string>());
        Assert.Equal("planned: disable-automount ServiceAccount shop/default", defaults["properties"]![ClusterPolicyReportBuilder.ActionsProperty]!.GetValue<string>());
        Assert.Contains("ClusterRoleBinding ci-admin: cluster-admin to ServiceAccount ci/deployer", Result(report, "5.1.1")["properties"]!["evidence"]!.GetValue<string>());
        // Dry-run by default: the ServiceAccount is untouched.
        Assert.Null(cluster.Api.Get(ResourceCatalog.ServiceAccounts, "shop", "default")!.Object["automountServiceAccountToken"]);

        // The JSON document is the offline --format json report plus the remediation part.
        var json = JsonNode.Parse(controller.Runtime.Compliance.Latest.Json!)!;
        Assert.Equal("cis-1.12", json["benchmark"]!.GetValue<string>());
        Assert.Equal(12, json["results"]!.AsArray().Count);
        Assert.Equal("dry-run", json["remediation"]!["mode"]!.GetValue<string>());
        var action = Assert.Single(json["remediation"]!["actions"]!.AsArray())!;
        Assert.Equal(("5.1.5", "disable-automount", "ServiceAccount shop/default", "planned"),
            (action["check"]!.GetValue<string>(), action["action"]!.GetValue<string>(), action["target"]!.GetValue<string>(), action["outcome"]!.GetValue<string>()));

        // Nothing changed: a second scan (a new timestamp) writes nothing.
        time.Advance(TimeSpan.FromMinutes(1));
        cluster.Api.ClearRequestLog();
        Assert.True(await controller.Runtime.Compliance.ScanOnceAsync(ScanLoop.Schedule, CancellationToken.None));
        Assert.DoesNotContain(cluster.Api.Requests, r => r.Method != "GET");
        Assert.Equal(1, Scans(controller.Metrics, ScanLoop.Schedule, "unchanged"));
    }

    [Fact]
    public async Task The_controller_checks_pods_from_its_pod_cache_with_the_same_results_as_listing_them_and_lists_no_pods()
    {
        await using var cluster = await ShippedPolicyCluster.StartAsync();
        SeedCluster(cluster.Api);
        cluster.Api.Seed(ResourceCatalog.Pods, Node("""
            {"metadata":{"name":"web","namespace":"shop","labels":{"app":"web"}},
             "spec":{"containers":[{"name":"app","image":"shop/web:1","securityContext":{"privileged":true},
               "env":[{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}]}]},
             "status":{"phase":"Running","podIP":"10.0.0.5"}}
            """));
        cluster.Api.Seed(ResourceCatalog.Pods, Node("""
            {"metadata":{"name":"agent","namespace":"shop"},
             "spec":{"hostNetwork":true,"hostPID":true,"hostIPC":true,"automountServiceAccountToken":false,"serviceAccountName":"agent",
               "containers":[{"name":"probe","image":"shop/agent:1","envFrom":[{"secretRef":{"name":"agent-keys"}}]}]},
             "status":{"phase":"Pending"}}
            """));
        cluster.Api.Seed(ResourceCatalog.Pods, Node("""{"metadata":{"name":"dns","namespace":"kube-system"},"spec":{"hostNetwork":true,"containers":[{"name":"dns","image":"dns:1"}]}}"""));
        await using var controller = new RunningController(cluster, new ComplianceSettings { TimeProvider = new ManualTimeProvider(), TriggerNamespace = TriggerNamespace });
        await Eventually.WaitUntilAsync(() => Report(cluster.Api) is not null, "the startup scan to write cis-cluster");

        cluster.Api.ClearRequestLog();
        Assert.True(await controller.Runtime.Compliance.ScanOnceAsync(ScanLoop.Schedule, CancellationToken.None));
        Assert.DoesNotContain(cluster.Api.Requests, r => r.Path.EndsWith("/pods", StringComparison.Ordinal));

        // The same checks over the pods as listed from the API (with status and all), as the CLI's scan reads them.
        var listed = new ClusterPolicyScanner(new ClusterPolicyScanOptions()).Scan(await new ClusterObjectLoader(cluster.Client).LoadAsync());
        var cached = JsonNode.Parse(controller.Runtime.Compliance.Latest.Json!)!["results"]!.AsArray()
            .ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!["evidence"]!.AsArray().Select(e => e!.GetValue<string>()).ToList());
        foreach (var check in new[] { "5.1.6", "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.4.1" })
            Assert.Equal(listed.Results.Single(r => r.Id == check).Evidence, cached[check]);
        Assert.Contains(cached["5.2.2"], e => e.Contains("Pod shop/web: container app", StringComparison.Ordinal));
        Assert.Contains(cached["5.2.3"], e => e.Contains("Pod shop/agent", StringComparison.Ordinal));
        Assert.Contains(cached["5.4.1"], e => e.Contains("Pod shop/web: container app env DB_PASSWORD from Secret db", StringComparison.Ordinal));
        Assert.Contains(cached["5.4.1"], e => e.Contains("Pod shop/agent: container probe envFrom Secret agent-keys", StringComparison.Ordinal));
        Assert.Contains(cached["5.1.6"], e => e.Contains("Pod shop/web: mounts the token of ServiceAccount default", StringComparison.Ordinal));
        Assert.DoesNotContain(cached.Values.SelectMany(e => e), e => e.Contains("shop/agent: mounts", StringComparison.Ordinal) || e.Contains("kube-system/dns", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_scheduled_scan_runs_after_the_interval_and_records_the_change()
    {
        await using var cluster = await ShippedPolicyCluster.StartAsync();
        SeedCluster(cluster.Api);
        var time = new ManualTimeProvider();
        await using var controller = new RunningController(cluster, new ComplianceSettings { TimeProvider = time, TriggerNamespace = TriggerNamespace });
        await Eventually.WaitUntilAsync(() => Report(cluster.Api) is not null && time.ActiveTimers > 0, "the startup scan and the wait for the next one");

        cluster.Api.Seed(ResourceCatalog.Namespaces, Node("""{"metadata":{"name":"blog"}}"""));
        cluster.Api.Seed(ResourceCatalog.ServiceAccounts, Node("""{"metadata":{"name":"default","namespace":"blog"}}"""));
        time.Advance(TimeSpan.FromHours(5));
        Assert.Equal(0, Scans(controller.Metrics, ScanLoop.Schedule, "written"));
        time.Advance(TimeSpan.FromHours(1));
        await Eventually.WaitUntilAsync(() => Scans(controller.Metrics, ScanLoop.Schedule, "written") == 1, "the scheduled scan after 6h");
        Assert.Contains("ServiceAccount blog/default", Result(Report(cluster.Api)!, "5.1.5")["properties"]!["evidence"]!.GetValue<string>());
        Assert.Equal(1, Scans(controller.Metrics, ScanLoop.Startup, "written"));
    }

    [Fact]
    public async Task The_request_annotation_triggers_one_scan_that_a_restarted_controller_does_not_repeat()
    {
        await using var cluster = await ShippedPolicyCluster.StartAsync();
        SeedCluster(cluster.Api);
        var settings = new ComplianceSettings { Interval = TimeSpan.Zero, TriggerNamespace = TriggerNamespace };
        void Request(string value) => cluster.Api.Update(ResourceCatalog.Namespaces,
            Node($$$$"""{"metadata":{"name":"{{{{TriggerNamespace}}}}","annotations":{"{{{{ClusterComplianceScan.RequestAnnotation}}}}":"{{{{value}}}}"}}}"""));
        string? Handled() => Report(cluster.Api)?["metadata"]?["annotations"]?[ClusterComplianceScan.HandledAnnotation]?.GetValue<string>();

        await using (var first = new RunningController(cluster, settings))
        {
            await first.Runtime.WaitForSyncAsync(CancellationToken.None).WithinLimit("caches to sync");
            Assert.Null(Report(cluster.Api));   // interval 0: no scheduled (or startup) scan
            Request("2026-11-22T18:00");
            await Eventually.WaitUntilAsync(() => Scans(first.Metrics, ScanLoop.Request, "written") == 1, "the requested scan");
            Assert.Equal("2026-11-22T18:00", Handled());
        }

        await using var second = new RunningController(cluster, settings);
        await second.Runtime.WaitForSyncAsync(CancellationToken.None).WithinLimit("caches to sync");
        // The handled value is on the report: only a new value scans again, and then exactly once.
        Request("again");
        await Eventually.WaitUntilAsync(() => Scans(second.Metrics, ScanLoop.Request, "written") == 1, "the second request");
        Assert.Equal("again", Handled());
        Assert.Equal(0, Scans(second.Metrics, ScanLoop.Request, "unchanged"));

        var undeclared = cluster.Api.Requests.Where(r => r.Path.Contains("clusterpolicyreports") || r.Path.Contains("rbac") || r.Path.Contains("serviceaccounts"))
            .Select(r => (Request: $"{r.Method} {r.Path}", Access: ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)))
            .Where(x => x.Access is null || !ControllerApiAccess.Calls.Contains(x.Access.Value)).Select(x => x.Request).ToList();
        Assert.Empty(undeclared);
    }

    [Fact]
    public async Task Apply_mode_in_the_controller_fixes_the_default_service_account_and_the_report_shows_the_result()
    {
        await using var cluster = await ShippedPolicyCluster.StartAsync();
        SeedCluster(cluster.Api);
        await using var controller = new RunningController(cluster, new ComplianceSettings
        {
            TimeProvider = new ManualTimeProvider(), TriggerNamespace = TriggerNamespace, Remediation = RemediationMode.Apply,
        });
        await Eventually.WaitUntilAsync(() => Report(cluster.Api) is not null, "the startup scan");
        Assert.False(cluster.Api.Get(ResourceCatalog.ServiceAccounts, "shop", "default")!.Object["automountServiceAccountToken"]!.GetValue<bool>());
        var defaults = Result(Report(cluster.Api)!, "5.1.5");
        // Rescanned after the change: the offender is gone and the action is reported.
        Assert.DoesNotContain("shop/default", defaults["properties"]!["evidence"]!.GetValue<string>());
        Assert.Equal("applied: disable-automount ServiceAccount shop/default", defaults["properties"]![ClusterPolicyReportBuilder.ActionsProperty]!.GetValue<string>());
        Assert.NotNull(cluster.Api.Get(ResourceCatalog.ClusterRoleBindings, "", "ci-admin"));   // not allow-listed
    }
}
