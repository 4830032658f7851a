using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Admission;

namespace SecurityOperator.Tests.Admission;

public class AdmissionReviewReaderTests
{
    private static (bool Ok, AdmissionReviewRequest Request, string? Error) Read(byte[] body)
    {
        var ok = AdmissionReviewReader.TryRead(body, new Utf8StringCache(), out var request, out var error);
        return (ok, request, error);
    }

    [Fact]
    public void CreateReviewFromTheApiServer()
    {
        var call = AdmissionTranscripts.Call("adm-01", 2);
        var (ok, r, error) = Read(call.Body);
        Assert.True(ok, error);
        Assert.Equal(AdmissionOperation.Create, r.Operation);
        Assert.Equal(("", "Pod", "adm-demo", "", false, "admin-token"), (r.Group, r.Kind, r.Namespace, r.SubResource, r.DryRun, r.UserName));
        Assert.Equal($"\"{call.Uid}\"", Encoding.UTF8.GetString(r.Uid.Of(call.Body)));
        Assert.False(r.OldObject.IsPresent);
        // The object range is exactly request.object, byte for byte.
        Assert.Equal(call.Review["request"]!["object"]!.ToJsonString(), Encoding.UTF8.GetString(r.Object.Of(call.Body)));
    }

    [Fact]
    public void UpdateReviewHasBothObjects()
    {
        var call = AdmissionTranscripts.Call("adm-02", 2);
        var (ok, r, _) = Read(call.Body);
        Assert.True(ok);
        Assert.Equal(AdmissionOperation.Update, r.Operation);
        Assert.Equal(call.Review["request"]!["oldObject"]!.ToJsonString(), Encoding.UTF8.GetString(r.OldObject.Of(call.Body)));
        Assert.True(r.Object.IsPresent);
    }

    [Fact]
    public void EphemeralContainersSubresourceDryRunDeleteAndControllerUser()
    {
        Assert.Equal("ephemeralcontainers", Read(AdmissionTranscripts.Call("adm-03", 2).Body).Request.SubResource);
        Assert.True(Read(AdmissionTranscripts.Call("adm-04", 2).Body).Request.DryRun);
        var delete = Read(AdmissionTranscripts.Call("adm-05", 2).Body).Request;
        Assert.Equal(AdmissionOperation.Delete, delete.Operation);
        Assert.False(delete.Object.IsPresent);
        Assert.True(delete.OldObject.IsPresent);
        var deployment = Read(AdmissionTranscripts.Call("adm-06", 2).Body).Request;
        Assert.Equal(("apps", "Deployment"), (deployment.Group, deployment.Kind));
        var rsPod = Read(AdmissionTranscripts.Call("adm-06", 3).Body).Request;
        Assert.Equal("system:serviceaccount:kube-system:replicaset-controller", rsPod.UserName);
    }

    [Fact]
    public void EscapedStringsAreDecodedAndTheUidIsKeptRaw()
    {
        var body = Encoding.UTF8.GetBytes("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"a\u0062c","namespace":"n\u0073","kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","object":null}}""");
        var (ok, r, _) = Read(body);
        Assert.True(ok);
        Assert.Equal("ns", r.Namespace);
        Assert.Equal("\"a\\u0062c\"", Encoding.UTF8.GetString(r.Uid.Of(body)));
    }

    [Theory]
    [InlineData("", "malformed JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "no request")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}", "request.uid is missing")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"\"}}", "request.uid must be a non-empty string")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":[]}", "request must be an object")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\"}}", "apiVersion must be admission.k8s.io/v1")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{\"uid\":\"u\"}}", "kind must be AdmissionReview")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"object\":5}}", "request.object must be an object or null")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\"}} x", "malformed JSON")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"object\":{\"a\":}}}", "malformed JSON")]
    public void BadReviewsNameTheProblem(string body, string expected)
    {
        var (ok, _, error) = Read(Encoding.UTF8.GetBytes(body));
        Assert.False(ok);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void EveryTruncationOfARealReviewIsRejectedWithoutThrowing()
    {
        var body = AdmissionTranscripts.Call("adm-01", 2).Body;
        for (var length = 0; length < body.Length; length += 7)
            Assert.False(Read(body[..length]).Ok);
    }

    [Fact]
    public void KnownStringsAreNotAllocatedAgain()
    {
        var cache = new Utf8StringCache();
        var body = AdmissionTranscripts.Call("adm-01", 2).Body;
        AdmissionReviewReader.TryRead(body, cache, out var first, out _);
        AdmissionReviewReader.TryRead(body, cache, out var second, out _);
        Assert.Same(first.Namespace, second.Namespace);
        Assert.Same(first.Kind, second.Kind);
        var before = GC.GetAllocatedBytesForCurrentThread();
        AdmissionReviewReader.TryRead(body, cache, out _, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
