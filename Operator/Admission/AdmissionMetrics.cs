using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Admission;

/// <summary>security_operator_admission_requests_total{endpoint,operation,result} and
/// security_operator_admission_decision_seconds{endpoint} (parse + decide + write, without the body transfer). The
/// labelled children are resolved once and kept in arrays, so counting a request allocates nothing.</summary>
public sealed class AdmissionMetrics
{
    private const int Endpoints = AdmissionLabels.EndpointCount, Operations = (int)AdmissionOperation.Connect + 1;

    private readonly Counter _requests;
    private readonly Counter.Child?[] _counts = new Counter.Child?[Endpoints * Operations * AdmissionLabels.ResultCount];
    private readonly Histogram.Child[] _latency;

    public AdmissionMetrics(MetricsRegistry registry)
    {
        _requests = registry.CreateCounter("security_operator_admission_requests_total",
            "Admission requests by endpoint (validate, validate_enforce, validate_audit, mutate), operation and result.", "endpoint", "operation", "result");
        var latency = registry.CreateHistogram("security_operator_admission_decision_seconds",
            "Time to parse, decide and write one AdmissionReview answer (without receiving the body).", Histogram.FastBuckets, "endpoint");
        _latency = new Histogram.Child[Endpoints];
        for (var i = 0; i < Endpoints; i++) _latency[i] = latency.WithLabels(((AdmissionEndpoint)i).Label());
    }

    public void Count(AdmissionEndpoint endpoint, AdmissionOperation operation, AdmissionResult result)
    {
        var index = ((int)endpoint * Operations + (int)operation) * AdmissionLabels.ResultCount + (int)result;
        // A benign race: two threads may both resolve the child; WithLabels returns the same instance to both.
        var child = _counts[index] ??= _requests.WithLabels(endpoint.Label(), operation.Label(), result.Label());
        child.Inc();
    }

    public void ObserveDecision(AdmissionEndpoint endpoint, TimeSpan elapsed) => _latency[(int)endpoint].Observe(elapsed.TotalSeconds);
}
