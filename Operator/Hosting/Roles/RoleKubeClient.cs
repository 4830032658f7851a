using System.Globalization;
using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Config;

namespace SecurityOperator.Hosting.Roles;

/// <summary>The one way a role gets its API client: configuration found as controller-runtime finds it (--kubeconfig,
/// $KUBECONFIG, in-cluster, ~/.kube/config), the --kube-api-qps/--kube-api-burst limits, and request latency recorded
/// in the shared metrics registry (one histogram per process, by verb and HTTP code).</summary>
public static class RoleKubeClient
{
    /// <summary>The --kubeconfig value that means "no API server" (standalone webhook and node agent).</summary>
    public const string None = "none";

    public static bool IsStandalone(OperatorOptions options) => options.GetString(Flags.Kubeconfig) == None;

    /// <exception cref="KubeconfigException">No usable configuration; the message names the file and field.</exception>
    public static KubeClient Create(RoleContext context, Func<string, string?>? environment = null)
    {
        var options = context.Options;
        var flag = options.GetString(Flags.Kubeconfig);
        var config = KubeConfigLocator.Load(string.IsNullOrEmpty(flag) ? null : flag, context: null,
            environment ?? Environment.GetEnvironmentVariable);
        var latency = RequestLatency(context.Metrics);
        return new KubeClient(config, new KubeClientOptions
        {
            Qps = options.GetDouble(Flags.KubeApiQps),
            Burst = options.GetInt(Flags.KubeApiBurst),
            OnRequestCompleted = (verb, code, duration) =>
                latency.WithLabels(verb, code.ToString(CultureInfo.InvariantCulture)).Observe(duration.TotalSeconds),
        }, context.LoggerFactory.CreateLogger<KubeClient>());
    }

    private static readonly Lock Gate = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MetricsRegistry, Histogram> Latencies = new();

    // One family per registry: two clients in one process (tests) must not register the name twice.
    private static Histogram RequestLatency(MetricsRegistry metrics)
    {
        lock (Gate)
        {
            if (Latencies.TryGetValue(metrics, out var existing)) return existing;
            var created = metrics.CreateHistogram("security_operator_kube_api_request_duration_seconds",
                "Latency of requests to the Kubernetes API server by verb and HTTP status code (0: no answer).",
                Histogram.DefaultBuckets, "verb", "code");
            Latencies.Add(metrics, created);
            return created;
        }
    }
}
