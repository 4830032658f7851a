using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using SecurityOperator.Admission;
using SecurityOperator.Audit;
using SecurityOperator.Utf8Json;

namespace SecurityOperator.Benchmarks.Admission;

/// <summary>The webhook's per-request work around the evaluator, on the load benchmark's own inputs
/// (scripts/bench/pod-review.json, the 20 rules of scripts/bench/policies.yaml): copying the body out of a pipe, the
/// AdmissionReview envelope pass alone (and token by token, as before JsonScanner.MeasureValue), the envelope plus the allowed answer (everything /validate does beyond HTTP
/// except evaluating), and the whole synchronous decision as AdmissionHttpHandler.Decide runs it. The difference
/// between the last two is the evaluator's share.</summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class AdmissionPathBenchmarks
{
    private byte[] _body = null!;
    private byte[] _object = null!;
    private AdmissionReviewer _reviewer = null!;
    private readonly Utf8StringCache _strings = new();
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var bench = Path.Combine(RepositoryRoot(), "scripts", "bench");
        _body = File.ReadAllBytes(Path.Combine(bench, "pod-review.json"));
        AdmissionReviewReader.TryRead(_body, _strings, out var parsed, out _);
        _object = parsed.Object.Of(_body).ToArray();
        if (JsonScanner.MeasureValue(_object, 63) != _object.Length) throw new InvalidOperationException("the benchmark object is not measured by the fast path");
        var loaded = PolicyFiles.Load([Path.Combine(bench, "policies.yaml")], new ManifestReader());
        if (loaded.Errors.Count > 0) throw new InvalidOperationException(string.Join("; ", loaded.Errors));
        var labels = NamespaceLabels.ParseAll(["production=environment=production"]);
        _reviewer = new AdmissionReviewer(new AdmissionPolicySource(new AdmissionPolicySnapshot(loaded.Policies, labels, ["kube-system", "security-operator"])));
        _writer = new Utf8JsonWriter(_output, AdmissionResponseWriter.WriterOptions);
        if (Decide() != AdmissionResult.Allowed) throw new InvalidOperationException("the benchmark pod is not allowed by the benchmark policies");
    }

    [Benchmark]
    public async Task<int> ReadBody()
    {
        // A pipe over the whole body, like Kestrel's once the body has arrived with the headers.
        var reader = PipeReader.Create(new ReadOnlySequence<byte>(_body));
        using var body = await RequestBodyReader.ReadAsync(reader, _body.Length, 3 * 1024 * 1024);
        return body.Length;
    }

    [Benchmark]
    public bool Envelope() => AdmissionReviewReader.TryRead(_body, _strings, out _, out _);

    /// <summary>The envelope pass with request.object skipped token by token by Utf8JsonReader (what Envelope did before
    /// JsonScanner.MeasureValue), for comparison in the same run.</summary>
    [Benchmark]
    public bool EnvelopeTokenByToken() => AdmissionReviewReader.TryReadExact(_body, _strings, out _, out _);

    /// <summary>request.object alone: measured by JsonScanner.MeasureValue, and skipped by Utf8JsonReader.</summary>
    [Benchmark]
    public int MeasureObject() => JsonScanner.MeasureValue(_object, 63);

    [Benchmark]
    public long ReaderSkipObject()
    {
        var reader = new Utf8JsonReader(_object);
        reader.Read();
        reader.Skip();
        return reader.BytesConsumed;
    }

    [Benchmark]
    public int EnvelopeAndAllowedAnswer()
    {
        AdmissionReviewReader.TryRead(_body, _strings, out var request, out _);
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        AdmissionResponseWriter.WriteAllowed(_writer, request.Uid.Of(_body));
        return _output.WrittenCount;
    }

    [Benchmark(Baseline = true)]
    public AdmissionResult Decide()
    {
        AdmissionReviewReader.TryRead(_body, _strings, out var request, out _);
        _output.ResetWrittenCount();
        _writer.Reset(_output);
        return _reviewer.Review(AdmissionEndpoint.Validate, _body, request, _writer);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "bench", "pod-review.json"))) return dir.FullName;
        throw new InvalidOperationException($"scripts/bench/pod-review.json not found above {AppContext.BaseDirectory}");
    }
}
