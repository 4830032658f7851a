using System.Text;
using SecurityOperator.Admission;

namespace SecurityOperator.Tests.Admission;

/// <summary>TryRead measures request.object and request.oldObject with JsonScanner.MeasureValue and resumes the reader after
/// them; TryReadExact reads every token. The two must agree on every body: same verdict, same error text, same fields.</summary>
public class AdmissionReviewReaderFastPathTests
{
    private static string Describe(bool ok, in AdmissionReviewRequest r, string? error, byte[] body) =>
        ok
            ? $"ok uid={Encoding.UTF8.GetString(r.Uid.Of(body))} op={r.Operation} {r.Group}/{r.Kind} ns={r.Namespace} sub={r.SubResource} dry={r.DryRun} "
              + $"user={r.UserName} obj={r.Object} old={r.OldObject}"
            : $"error {error}";

    private static void AssertSameAsExact(byte[] body)
    {
        var fastOk = AdmissionReviewReader.TryRead(body, new Utf8StringCache(), out var fast, out var fastError);
        var exactOk = AdmissionReviewReader.TryReadExact(body, new Utf8StringCache(), out var exact, out var exactError);
        Assert.Equal(Describe(exactOk, exact, exactError, body), Describe(fastOk, fast, fastError, body));
    }

    private static byte[] Review(string request) =>
        Encoding.UTF8.GetBytes("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":""" + request + "}");

    [Fact]
    public void FieldsAfterTheObjectsKeepTheirPositions()
    {
        // The uid after both objects: its range is absolute although the reader was resumed twice.
        var body = Review("""{"object":{"kind":"Pod","a":[1,{"b":"\u00e9"}]},"oldObject":{"kind":"Pod"},"operation":"UPDATE","uid":"x-1","namespace":"n"}""");
        Assert.True(AdmissionReviewReader.TryRead(body, new Utf8StringCache(), out var r, out var error), error);
        Assert.Equal("\"x-1\"", Encoding.UTF8.GetString(r.Uid.Of(body)));
        Assert.Equal("""{"kind":"Pod","a":[1,{"b":"\u00e9"}]}""", Encoding.UTF8.GetString(r.Object.Of(body)));
        Assert.Equal("""{"kind":"Pod"}""", Encoding.UTF8.GetString(r.OldObject.Of(body)));
        Assert.Equal("n", r.Namespace);
        AssertSameAsExact(body);
    }

    [Theory]
    [InlineData("""{"uid":"u","object":{"a":1}} x""")]
    [InlineData("""{"uid":"u","object":{"a":1},"namespace":5,"kind":{"kind":"Pod"},"x":[}""")]
    [InlineData("""{"uid":"u","object":{"a":"\q"}}""")]
    [InlineData("""{"uid":"u","object":{"a":1},"oldObject":{"b":[1,]}}""")]
    [InlineData("""{"object":{"a":1},"uid":""}""")]
    public void MalformedBodiesGetTheExactReadersError(string request) => AssertSameAsExact(Review(request));

    [Fact]
    public void TheErrorPositionAfterAnObjectIsTheExactOne()
    {
        var body = Review("{\"uid\":\"u\",\"object\":{\n\"a\":\n1\n},\n\"x\":tru}");
        Assert.False(AdmissionReviewReader.TryRead(body, new Utf8StringCache(), out _, out var error));
        Assert.Contains("line 5", error);
        AssertSameAsExact(body);
    }

    [Fact]
    public void ObjectsNestedBeyondTheReadersDepthAreRejectedAsBefore()
    {
        var deep = new string('[', 70) + new string(']', 70);
        var body = Review("""{"uid":"u","object":{"a":""" + deep + "}}");
        Assert.False(AdmissionReviewReader.TryRead(body, new Utf8StringCache(), out _, out _));
        AssertSameAsExact(body);
    }

    [Fact]
    public void RealAndMutatedReviewsReadTheSameBothWays()
    {
        var reals = new[] { ("adm-01", 2), ("adm-02", 2), ("adm-03", 2), ("adm-04", 2), ("adm-05", 2), ("adm-06", 2), ("adm-06", 3) }
            .Select(c => AdmissionTranscripts.Call(c.Item1, c.Item2).Body).ToArray();
        string[] fragments = ["\\", "\\u00e9", "\"", ",", ":", "{", "}", "[", "]", "1e5", "true", " ", "\n", "\u0001", "é"];
        var random = new Random(44);
        foreach (var real in reals) AssertSameAsExact(real);
        for (var n = 0; n < 3000; n++)
        {
            var body = (byte[])reals[n % reals.Length].Clone();
            switch (n % 3)
            {
                case 0:
                    for (var k = random.Next(1, 4); k > 0; k--) body[random.Next(body.Length)] = (byte)random.Next(256);
                    break;
                case 1:
                    body = body[..random.Next(body.Length + 1)];
                    break;
                default:
                    var text = Encoding.UTF8.GetString(body);
                    text = text.Insert(random.Next(text.Length), fragments[random.Next(fragments.Length)]);
                    body = Encoding.UTF8.GetBytes(text);
                    break;
            }
            AssertSameAsExact(body);
        }
    }
}
