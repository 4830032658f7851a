using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Signing.Verification;

/// <summary>security_operator_image_verifications_total{result}, security_operator_image_verification_cache_total{result}
/// (hit/miss: the hit ratio is hit / (hit + miss)) and security_operator_registry_request_seconds{registry} (one
/// registry round of a verification: resolve, fetch the signature manifest and payloads).</summary>
public sealed class VerificationMetrics(MetricsRegistry registry)
{
    private readonly Counter _results = registry.CreateCounter("security_operator_image_verifications_total",
        "Image signature verifications by result (verified, unsigned, invalid, error).", "result");
    private readonly Counter _cache = registry.CreateCounter("security_operator_image_verification_cache_total",
        "Image signature verification cache lookups by result (hit, miss).", "result");
    private readonly Histogram _latency = registry.CreateHistogram("security_operator_registry_request_seconds",
        "Time the registry took for one image verification (tag resolution, signature manifest, payloads).", Histogram.DefaultBuckets, "registry");

    // The hit child is kept: WithLabels builds a key string per call, and a warm admission counts hits per request.
    private Counter.Child? _hit;

    public void Result(string result) => _results.WithLabels(result).Inc();
    public void CacheHit(int count = 1) => (_hit ??= _cache.WithLabels("hit")).Inc(count);
    public void CacheMiss() => _cache.WithLabels("miss").Inc();
    public void RegistryLatency(string registry, TimeSpan elapsed) => _latency.WithLabels(registry).Observe(elapsed.TotalSeconds);
}
