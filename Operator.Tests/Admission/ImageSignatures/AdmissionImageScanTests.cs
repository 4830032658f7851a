using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Admission;
using SecurityOperator.Admission.ImageSignatures;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Tests.Admission.ImageSignatures;

/// <summary>The warm path's one-pass image scan answers as the exact readers (AdmissionReviewReader,
/// PodTemplateLocator, PodFactReader) do wherever it answers, and defers to them (Sure false) on what it does not read.</summary>
public class AdmissionImageScanTests
{
    private static readonly byte[][] RealReviews =
    [
        AdmissionTranscripts.Call("adm-01", 1).Body, AdmissionTranscripts.Call("adm-01", 2).Body, AdmissionTranscripts.Call("adm-02", 2).Body,
        AdmissionTranscripts.Call("adm-03", 2).Body, AdmissionTranscripts.Call("adm-04", 2).Body, AdmissionTranscripts.Call("adm-05", 2).Body,
        AdmissionTranscripts.Call("adm-06", 2).Body, AdmissionTranscripts.Call("adm-06", 3).Body,
    ];

    private sealed record Reading(string? Namespace, AdmissionOperation Operation, bool HasObject, string[] Images);

    private static Reading? Scan(byte[] body)
    {
        var images = new List<ImageRange>();
        var scan = AdmissionImageScan.Scan(body, images);
        if (!scan.Sure) return null;
        return new Reading(scan.HasNamespace ? Encoding.UTF8.GetString(scan.Namespace) : null, scan.Operation, scan.HasObject,
            images.Select(r => Encoding.UTF8.GetString(r.Of(body))).ToArray());
    }

    /// <summary>What the exact readers make of the body, or null when one of them refuses it.</summary>
    private static Reading? Exact(byte[] body)
    {
        if (!AdmissionReviewReader.TryRead(body, new Utf8StringCache(), out var review, out _)) return null;
        if (!review.Object.IsPresent) return new Reading(review.Namespace, review.Operation, false, []);
        var obj = review.Object.Of(body);
        if (PodTemplateLocator.TryLocate(obj, null, EvaluationLimits.Default, out var location, out _) != LocateStatus.Found) return null;
        var facts = new PodFacts();
        if (!PodFactReader.TryRead(obj.Slice(location.Start, location.Length), facts, EvaluationLimits.Default, out _)) return null;
        var images = facts.Containers.AsSpan().ToArray().Select(c => facts.String(c.Image)).Where(i => i.Length > 0).ToArray();
        return new Reading(review.Namespace, review.Operation, true, images);
    }

    private static void AssertSameAsExact(byte[] body)
    {
        var scanned = Scan(body);
        Assert.NotNull(scanned);
        var exact = Exact(body);
        Assert.NotNull(exact);
        Assert.Equal(exact.Namespace, scanned.Namespace);
        Assert.Equal(exact.Operation, scanned.Operation);
        Assert.Equal(exact.HasObject, scanned.HasObject);
        Assert.Equal(exact.Images, scanned.Images);
    }

    private static byte[] Review(string obj, string operation = "CREATE", string ns = "\"prod\"", string extra = "") => Encoding.UTF8.GetBytes(
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u-1\"," +
        "\"kind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"Pod\"},\"namespace\":" + ns + ",\"operation\":\"" + operation + "\"," +
        "\"userInfo\":{\"username\":\"alice\",\"groups\":[\"a\",\"b\"]},\"dryRun\":false" + extra + ",\"object\":" + obj + "}}");

    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":{"image":"not-a-container: \"image\":\"x\" {[}]"}},
         "spec":{"initContainers":[{"name":"i","image":"busybox:1"}],"containers":[{"name":"a","image":"registry.example.com/team/app:1.2.3",
         "env":[{"name":"image","value":"nope"}],"args":["{","[","\\\"image\\\""]},null,{"name":"b","image":null},{"name":"c","image":""},
         {"name":"d","image":"nginx@sha256:0123"}],"ephemeralContainers":[{"name":"e","image":"debug:latest"}]}}
        """;

    [Fact]
    public void Reads_namespace_operation_and_every_container_image_in_document_order()
    {
        var body = Review(Pod);
        var scanned = Scan(body)!;
        Assert.Equal("prod", scanned.Namespace);
        Assert.Equal(AdmissionOperation.Create, scanned.Operation);
        Assert.Equal(["busybox:1", "registry.example.com/team/app:1.2.3", "nginx@sha256:0123", "debug:latest"], scanned.Images);
        AssertSameAsExact(body);
    }

    [Theory]
    [InlineData("""{"kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2,"selector":{},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"a","image":"app:1"}]}}}}""")]
    [InlineData("""{"kind":"CronJob","spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"image":"job:2"}],"initContainers":null}}}}}}""")]
    [InlineData("""{"kind":"Pod","spec":null}""")]
    [InlineData("""{"kind":"Pod","spec":{"containers":null}}""")]
    [InlineData(" { \"kind\" : \"Pod\" ,\n \"spec\" : { \"containers\" : [ { \"image\" : \"spaced:1\" } ] } } ")]
    public void Reads_workload_templates_as_the_locator_and_fact_reader_do(string obj) => AssertSameAsExact(Review(obj));

    [Fact]
    public void Update_null_namespace_dry_run_and_old_object_read_as_the_exact_readers_do()
    {
        AssertSameAsExact(Review(Pod, "UPDATE", ns: "null", extra: ",\"oldObject\":" + Pod + ",\"subResource\":null,\"dryRun\":true"));
        AssertSameAsExact(Review("null", "DELETE", extra: ",\"oldObject\":" + Pod));
        Assert.False(Scan(Review("null", "DELETE"))!.HasObject);
    }

    [Fact]
    public void Real_reviews_recorded_from_kube_apiserver_read_as_the_exact_readers_do()
    {
        foreach (var body in RealReviews) AssertSameAsExact(body);
    }

    [Theory]
    // Escapes: the exact readers unescape; the scan leaves them to them.
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"image":"app\u003a1"}]}}""")]
    [InlineData("""{"kind":"Pod","spec":{"cont\u0061iners":[{"image":"app:1"}]}}""")]
    // Duplicates whose winner the exact readers define.
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"image":"a:1","image":"b:1"}]}}""")]
    [InlineData("""{"kind":"Pod","spec":{},"spec":{"containers":[{"image":"a:1"}]}}""")]
    [InlineData("""{"kind":"Deployment","spec":{"template":{"spec":{}},"template":{"spec":{}}}}""")]
    // The kind after the spec, an unknown kind, no kind, no template.
    [InlineData("""{"spec":{"containers":[{"image":"a:1"}]},"kind":"Pod"}""")]
    [InlineData("""{"kind":"ConfigMap","data":{}}""")]
    [InlineData("""{"metadata":{}}""")]
    [InlineData("""{"kind":"Deployment","spec":{"replicas":1}}""")]
    // Types the fact reader refuses.
    [InlineData("""{"kind":"Pod","spec":{"containers":{"image":"a:1"}}}""")]
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"image":1}]}}""")]
    [InlineData("""{"kind":"Pod","spec":{"containers":["a:1"]}}""")]
    [InlineData("""{"kind":"Pod","spec":[]}""")]
    [InlineData("""["not an object"]""")]
    public void Defers_to_the_exact_readers_on_what_it_does_not_read(string obj) => Assert.Null(Scan(Review(obj)));

    [Theory]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"object\":null}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"object\":null}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"dryRun\":\"yes\"}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"kind\":\"Pod\"}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"userInfo\":{\"username\":7}}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"oldObject\":[]}}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"object\":null}} x")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"object\":null}")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"object\":{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"image\":\"a:1\"}}}}}")]
    [InlineData("")]
    public void Refuses_reviews_the_review_reader_refuses(string body)
    {
        Assert.Null(Scan(Encoding.UTF8.GetBytes(body)));
        Assert.Null(Exact(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Nesting_beyond_the_readers_depth_limit_is_theirs_to_refuse()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70));
        var body = Review("{\"kind\":\"Pod\",\"metadata\":{\"x\":" + deep + "},\"spec\":{\"containers\":[{\"image\":\"a:1\"}]}}");
        Assert.Null(Scan(body));
        Assert.Null(Exact(body));
    }

    /// <summary>Real reviews with bytes flipped, fragments spliced in, values of other types: wherever the scan
    /// answers and the exact readers accept the body, both read the same. The scan jumps over what it does not need
    /// without validating its contents, so it may answer where the exact readers refuse (malformed JSON or a wrong type
    /// in a field the warm path does not read): the handler then refuses the request whatever the outcomes are.</summary>
    [Fact]
    public void Mutated_reviews_read_as_the_exact_readers_do_wherever_both_answer()
    {
        var random = new Random(20261122);
        string[] fragments = ["{", "}", "[", "]", "\"", ",", ":", "null", "\\u00", "\\", "1", "true", " ", "\"image\":\"x\""];
        int agreed = 0, deferred = 0;
        for (var i = 0; i < 3000; i++)
        {
            var body = RealReviews[random.Next(RealReviews.Length)].ToList();
            var at = random.Next(body.Count);
            switch (random.Next(3))
            {
                case 0: body[at] = (byte)random.Next(32, 127); break;
                case 1: body.InsertRange(at, Encoding.UTF8.GetBytes(fragments[random.Next(fragments.Length)])); break;
                default: body.RemoveRange(at, Math.Min(random.Next(1, 8), body.Count - at)); break;
            }
            var bytes = body.ToArray();
            var scanned = Scan(bytes);
            var exact = Exact(bytes);
            if (scanned is null) { deferred++; continue; }
            if (exact is null) continue;
            Assert.Equal(exact.Namespace, scanned.Namespace);
            Assert.Equal(exact.Operation, scanned.Operation);
            Assert.Equal(exact.HasObject, scanned.HasObject);
            Assert.Equal(exact.Images, scanned.Images);
            agreed++;
        }
        // Both kinds of case happen: the comparison above is not vacuous.
        Assert.True(agreed > 100, $"only {agreed} bodies read by both");
        Assert.True(deferred > 100, $"only {deferred} bodies deferred");
    }

    [Fact]
    public void Reading_allocates_nothing()
    {
        var body = Review(Pod);
        var images = new List<ImageRange>(8);
        AdmissionImageScan.Scan(body, images);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) AdmissionImageScan.Scan(body, images);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(4, images.Count);
    }
}
