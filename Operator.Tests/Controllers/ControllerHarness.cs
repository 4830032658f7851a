using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers;

/// <summary>A <see cref="ControllerRuntime"/> leading against a double that serves the shipped CRDs.</summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _informers = Task.CompletedTask;
    private Task _lead = Task.CompletedTask;

    // Whether the double serves the PolicyReport CRD: only then does StartAsync wait for the reports to be listed.
    private readonly bool _policyReportCrds;

    private ControllerHarness(DoubleCluster cluster, ControllerRuntime runtime, MetricsRegistry metrics, bool policyReportCrds)
    {
        Cluster = cluster;
        Runtime = runtime;
        Metrics = metrics;
        _policyReportCrds = policyReportCrds;
    }

    public DoubleCluster Cluster { get; }
    public ApiServerDouble Api => Cluster.Api;
    public ControllerRuntime Runtime { get; }
    public MetricsRegistry Metrics { get; }

    public static async Task<ControllerHarness> CreateAsync(ControllerSettings? settings = null, bool flowReportCrd = true, bool policyReportCrds = true)
    {
        var cluster = await ShippedPolicyCluster.StartAsync(flowReports: flowReportCrd, policyReports: policyReportCrds);
        var metrics = new MetricsRegistry();
        var runtime = new ControllerRuntime(cluster.Client, settings ?? new ControllerSettings(), metrics, NullLoggerFactory.Instance,
            PodInformerHarness.FastWatcher());
        return new ControllerHarness(cluster, runtime, metrics, policyReportCrds);
    }

    /// <summary>Starts the informers and the leader's work; returns once the caches (and, when the CRD is served, the
    /// PolicyReports) are listed, so a test's own reconcile writes the report rather than holding it.</summary>
    public async Task StartAsync()
    {
        _informers = Runtime.RunInformersAsync(_stop.Token);
        _lead = Runtime.LeadAsync(_stop.Token);
        await Runtime.WaitForSyncAsync(CancellationToken.None).WithinLimit("controller caches to sync");
        if (_policyReportCrds) await Eventually.WaitUntilAsync(() => Runtime.ReportsListed, "the PolicyReports to be listed");
    }

    /// <summary>Requests that change something (anything but GET).</summary>
    public IReadOnlyList<RecordedRequest> Writes() => Api.Requests.Where(r => r.Method != "GET").ToList();

    public double Reconciles(string controller, string result) =>
        Metrics.CreateCounter("security_operator_controller_reconciles_total", "", "controller", "result").WithLabels(controller, result).Value;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await Task.WhenAll(_informers, _lead).WaitAsync(Eventually.Limit); }
        catch (OperationCanceledException) { }
        await Cluster.DisposeAsync();
    }
}
