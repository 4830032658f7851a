using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Admission;
using SecurityOperator.Admission.ImageSignatures;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Signing.Verification;

namespace SecurityOperator.Benchmarks.ImageSignatures;

/// <summary>The webhook's decision path for one pod CREATE, as AdmissionHttpHandler runs it after reading the body:
/// ImageSignatureStep.BeginWarm/EndWarm (a first decision with outcomes resolved from the caches), else Collect and VerifyAsync, then (with the outcomes published) reading the
/// review and deciding into a reused writer. Three policy sets over the same 3-container pod whose images are in a
/// signed repository of Debian's docker-registry on 127.0.0.1: without the imageSignature rule (baseline), with it and
/// a warm verification cache, and with it and a cold cache (cache TTL 0: every request resolves the tag with HEAD,
/// fetches the signature manifest and the payload over loopback HTTP; connections stay pooled).</summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(15)]
public class ImageSignatureAdmissionBenchmarks
{
    private static readonly string[] Excluded = ["kube-system"];

    private LoopbackDockerRegistry _registry = null!;
    private byte[] _review = null!;
    private Path _without = null!, _warm = null!, _cold = null!;

    /// <summary>One configured decision path: its policies, its step (verifier and cache) and its reviewer.</summary>
    private sealed class Path(CompiledPolicy policy, TimeSpan cacheTtl) : IDisposable
    {
        private readonly AdmissionPolicySource _source = new(new AdmissionPolicySnapshot([policy], new Dictionary<string, Dictionary<string, string>>(), Excluded));
        private ImageSignatureWiring? _wiring;
        private AdmissionReviewer? _reviewer;
        private readonly Utf8StringCache _strings = new();
        private readonly ArrayBufferWriter<byte> _output = new(4096);
        private Utf8JsonWriter? _writer;

        public void Start()
        {
            _wiring = new ImageSignatureWiring(_source, new MetricsRegistry(), NullLoggerFactory.Instance,
                new ImageSignatureVerifierOptions { InsecureLoopback = true, CacheTtl = cacheTtl });
            _reviewer = new AdmissionReviewer(_source);
            _writer = new Utf8JsonWriter(_output, AdmissionResponseWriter.WriterOptions);
        }

        public async Task<AdmissionResult> AdmitAsync(byte[] body)
        {
            // As the handler: a first, synchronous decision with outcomes resolved from the caches during the
            // evaluation; when a lookup missed, verify and decide again.
            var warm = _wiring!.Step.BeginWarm();
            var result = Decide(body, warm);
            if (_wiring.Step.EndWarm(warm)) return result;
            var targets = _wiring.Step.Collect(body);
            var outcomes = targets is null ? null : await _wiring.Step.VerifyAsync(targets, CancellationToken.None).ConfigureAwait(false);
            return Decide(body, outcomes);
        }

        private AdmissionResult Decide(ReadOnlySpan<byte> body, ImageSignatureOutcomes? outcomes)
        {
            using var scope = ImageSignatureOutcomes.Enter(outcomes);
            _output.ResetWrittenCount();
            _writer!.Reset();
            if (!AdmissionReviewReader.TryRead(body, _strings, out var request, out var error)) throw new InvalidOperationException(error);
            var result = _reviewer!.Review(AdmissionEndpoint.Validate, body, request, _writer);
            _writer.Flush();
            return result;
        }

        public void Dispose()
        {
            _writer?.Dispose();
            _wiring?.Dispose();
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _registry = LoopbackDockerRegistry.Start();
        var pod = Encoding.UTF8.GetString(BenchmarkInputs.Pod(3)).Replace("registry.company.com/team/app:1.2.3", _registry.Image);
        _review = Encoding.UTF8.GetBytes(
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"0d1c5a6e-1111-2222-3333-444455556666\"," +
            "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"}," +
            "\"namespace\":\"prod\",\"operation\":\"CREATE\",\"userInfo\":{\"username\":\"alice\"},\"dryRun\":false,\"object\":" + pod + "}}");
        var publicPem = JsonSerializer.Serialize(_registry.Key.ExportSubjectPublicKeyInfoPem());
        const string baseRule = """{"name":"no-latest","conditions":[{"imageTagLatestOrMissing":true}],"actions":["deny"]}""";
        var signatureRule = $$$"""{"name":"signed","conditions":[{"imageSignature":{"images":["{{{_registry.Host}}}/*"],"attestors":[{"name":"release","publicKey":{{{publicPem}}}}]}}],"actions":["deny"]}""";
        _without = new Path(Compile(baseRule), TimeSpan.FromMinutes(5));
        _warm = new Path(Compile(baseRule + "," + signatureRule), TimeSpan.FromMinutes(5));
        _cold = new Path(Compile(baseRule + "," + signatureRule), TimeSpan.Zero);
        foreach (var path in new[] { _without, _warm, _cold })
        {
            path.Start();
            // Fails fast if the inputs stop meaning what the benchmark names say (and warms the warm cache).
            var result = path.AdmitAsync(_review).GetAwaiter().GetResult();
            if (result != AdmissionResult.Allowed) throw new InvalidOperationException($"the signed pod must be allowed, got {result}");
        }
    }

    private static CompiledPolicy Compile(string rules)
    {
        var compilation = PolicyCompiler.Compile(Encoding.UTF8.GetBytes(
            $$$"""{"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"bench"},"spec":{"rules":[{{{rules}}}]}}"""));
        return compilation.Policy ?? throw new InvalidOperationException(string.Join("; ", compilation.Errors));
    }

    [Benchmark(Baseline = true)]
    public Task<AdmissionResult> WithoutSignatureRule() => _without.AdmitAsync(_review);

    [Benchmark]
    public Task<AdmissionResult> SignatureRuleWarmCache() => _warm.AdmitAsync(_review);

    [Benchmark]
    public Task<AdmissionResult> SignatureRuleColdCache() => _cold.AdmitAsync(_review);

    [GlobalCleanup]
    public void Cleanup()
    {
        _without.Dispose();
        _warm.Dispose();
        _cold.Dispose();
        _registry.Dispose();
    }
}
