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
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Signing.Verification;

namespace SecurityOperator.Benchmarks.ImageSignatures;

/// <summary>The parts of a warm imageSignature admission, one benchmark each, over the same 3-container pod CREATE as
/// <see cref="ImageSignatureAdmissionBenchmarks"/>: what the step's synchronous warm path costs as a whole
/// (<see cref="TryVerifyCached"/>) and piece by piece (reading the review, locating the pod, reading the pod's facts,
/// matching the images against the rule's globs, the key-set and verification cache lookups), and what the rule adds
/// to the evaluation itself (<see cref="DecideWithRule"/> against <see cref="DecideWithoutRule"/>, outcomes published).</summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(15)]
public class ImageSignatureWarmPathBenchmarks
{
    private static readonly string[] Excluded = ["kube-system"];

    private LoopbackDockerRegistry _registry = null!;
    private byte[] _review = null!, _image = null!;
    private ByteRange _object;
    private PodTemplateLocation _location;
    private readonly PodFacts _facts = new();
    private readonly List<ImageRange> _ranges = new(8);
    private AdmissionPolicySource _source = null!;
    private readonly Utf8StringCache _strings = new();
    private ImageSignatureCondition _condition = null!;
    private ImageSignatureVerifier _verifier = null!;
    private AttestorKeyResolver _keys = null!;
    private ImageSignatureStep _step = null!;
    private ImageSignatureOutcomes _outcomes = null!;
    private AdmissionReviewer _withRule = null!, _withoutRule = null!;
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _registry = LoopbackDockerRegistry.Start();
        _image = Encoding.UTF8.GetBytes(_registry.Image);
        var pod = Encoding.UTF8.GetString(BenchmarkInputs.Pod(3)).Replace("registry.company.com/team/app:1.2.3", _registry.Image);
        _review = Encoding.UTF8.GetBytes(
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"0d1c5a6e-1111-2222-3333-444455556666\"," +
            "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"resource\":{\"group\":\"\",\"version\":\"v1\",\"resource\":\"pods\"}," +
            "\"namespace\":\"prod\",\"operation\":\"CREATE\",\"userInfo\":{\"username\":\"alice\"},\"dryRun\":false,\"object\":" + pod + "}}");
        var publicPem = JsonSerializer.Serialize(_registry.Key.ExportSubjectPublicKeyInfoPem());
        const string baseRule = """{"name":"no-latest","conditions":[{"imageTagLatestOrMissing":true}],"actions":["deny"]}""";
        var signatureRule = $$$"""{"name":"signed","conditions":[{"imageSignature":{"images":["{{{_registry.Host}}}/*"],"attestors":[{"name":"release","publicKey":{{{publicPem}}}}]}}],"actions":["deny"]}""";
        var with = Compile(baseRule + "," + signatureRule);
        _condition = with.Rules.SelectMany(r => r.Conditions).OfType<ImageSignatureCondition>().Single();
        var source = _source = new AdmissionPolicySource(new AdmissionPolicySnapshot([with], new Dictionary<string, Dictionary<string, string>>(), Excluded));
        _verifier = new ImageSignatureVerifier(new ImageSignatureVerifierOptions { InsecureLoopback = true }, new VerificationMetrics(new MetricsRegistry()));
        _keys = new AttestorKeyResolver(null);
        _step = new ImageSignatureStep(source, _verifier, ImageSignatureWiring.DefaultBudget, keys: _keys);
        _withRule = new AdmissionReviewer(source);
        _withoutRule = new AdmissionReviewer(new AdmissionPolicySource(
            new AdmissionPolicySnapshot([Compile(baseRule)], new Dictionary<string, Dictionary<string, string>>(), Excluded)));
        _writer = new Utf8JsonWriter(_output, AdmissionResponseWriter.WriterOptions);

        // Warm the cache through the cold path, then keep the warm outcomes (copied out of the per-thread instance).
        var targets = _step.Collect(_review) ?? throw new InvalidOperationException("the rule must target the pod's images");
        _outcomes = _step.VerifyAsync(targets, CancellationToken.None).GetAwaiter().GetResult();
        if (!_step.TryVerifyCached(_review, out var warm) || warm is null || warm.Count != 1) throw new InvalidOperationException("the cache must be warm");

        if (!AdmissionReviewReader.TryRead(_review, _strings, out var request, out var error)) throw new InvalidOperationException(error);
        _object = request.Object;
        if (PodTemplateLocator.TryLocate(_object.Of(_review), null, EvaluationLimits.Default, out _location, out _) != LocateStatus.Found)
            throw new InvalidOperationException("the pod must be found");
        if (DecideWithRule() != AdmissionResult.Allowed || DecideWithoutRule() != AdmissionResult.Allowed)
            throw new InvalidOperationException("the signed pod must be allowed");
    }

    private static CompiledPolicy Compile(string rules)
    {
        var compilation = PolicyCompiler.Compile(Encoding.UTF8.GetBytes(
            $$$"""{"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"bench"},"spec":{"rules":[{{{rules}}}]}}"""));
        return compilation.Policy ?? throw new InvalidOperationException(string.Join("; ", compilation.Errors));
    }

    [Benchmark]
    public bool TryVerifyCached() => _step.TryVerifyCached(_review, out _);

    [Benchmark]
    public bool ScanImages() => AdmissionImageScan.Scan(_review, _ranges).Sure;

    [Benchmark]
    public int SkipReview() => JsonSkipper.SkipContainer(_review, 0, JsonSkipper.MaxDepth);

    [Benchmark]
    public int SelectConditions() => _source.Current!.Select("prod").Policies.Count;

    [Benchmark]
    public bool ReadReview() => AdmissionReviewReader.TryRead(_review, _strings, out _, out _);

    [Benchmark]
    public LocateStatus LocatePod() => PodTemplateLocator.TryLocate(_object.Of(_review), null, EvaluationLimits.Default, out _, out _);

    [Benchmark]
    public bool ReadPodFacts() =>
        PodFactReader.TryRead(_object.Of(_review).Slice(_location.Start, _location.Length), _facts, EvaluationLimits.Default, out _);

    [Benchmark]
    public int MatchImages()
    {
        var matched = 0;
        ReadOnlySpan<byte> image = _image;
        for (var i = 0; i < 3; i++)
            if (_condition.Targets(image)) matched++;
        return matched;
    }

    [Benchmark]
    public int LookUpCaches()
    {
        var found = 0;
        ReadOnlySpan<byte> image = _image;
        for (var i = 0; i < 3; i++)
            if (_keys.TryResolveCached(_condition, out var keys) && _verifier.TryGetCached(image, keys, out _)) found++;
        return found;
    }

    [Benchmark]
    public AdmissionResult DecideWithRule() => Decide(_withRule, _outcomes);

    [Benchmark(Baseline = true)]
    public AdmissionResult DecideWithoutRule() => Decide(_withoutRule, null);

    private AdmissionResult Decide(AdmissionReviewer reviewer, ImageSignatureOutcomes? outcomes)
    {
        using var scope = ImageSignatureOutcomes.Enter(outcomes);
        _output.ResetWrittenCount();
        _writer.Reset();
        if (!AdmissionReviewReader.TryRead(_review, _strings, out var request, out var error)) throw new InvalidOperationException(error);
        var result = reviewer.Review(AdmissionEndpoint.Validate, _review, request, _writer);
        _writer.Flush();
        return result;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _verifier.Dispose();
        _registry.Dispose();
    }
}
