using System.Text.Json;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Transcripts;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>Every error the operator reacts to, produced by the double the way the recorded server produced it and
/// decoded by KubeClient into its typed exception with the server's text intact.</summary>
public sealed class ClientErrorIntegrationTests
{
    private static readonly KubeResource Pods = KubeResource.Pods;

    [Fact]
    public async Task Missing_pod_and_missing_namespace_are_NotFound_naming_the_object()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("secops");
        var client = cluster.Client;

        // errors-404 REQUEST 1 and 2: both answer "pods "<name>" not found" (the missing namespace is not mentioned).
        var pod = await Assert.ThrowsAsync<KubeNotFoundException>(() => client.GetAsync(Pods, "secops", "ghost", KubeJsonContext.Default.Pod));
        Assert.Equal("pods \"ghost\" not found", pod.Status!.Message);
        Assert.False(pod.ApiNotServed);
        var inMissingNamespace = await Assert.ThrowsAsync<KubeNotFoundException>(() =>
            client.GetAsync(Pods, "no-such-ns", "web-0", KubeJsonContext.Default.Pod));
        Assert.Equal("pods \"web-0\" not found", inMissingNamespace.Status!.Message);

        // errors-404 REQUEST 3: a create in a missing namespace names the namespace.
        var create = await Assert.ThrowsAsync<KubeNotFoundException>(() =>
            client.CreateAsync(Pods, "no-such-ns", TestPods.New("no-such-ns", "web-0"), KubeJsonContext.Default.Pod));
        Assert.Equal("namespaces \"no-such-ns\" not found", create.Status!.Message);
    }

    [Fact]
    public async Task Creating_a_name_that_is_taken_is_AlreadyExists()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-0"));

        // pods-01 REQUEST 3: 409 reason AlreadyExists (not Conflict: a caller must not "re-read and retry" it).
        var taken = await Assert.ThrowsAsync<KubeAlreadyExistsException>(() =>
            cluster.Client.CreateAsync(Pods, "secops", TestPods.New("secops", "web-0"), KubeJsonContext.Default.Pod));
        Assert.Equal((409, "AlreadyExists"), (taken.Code, taken.Reason));
        Assert.Equal("pods \"web-0\" already exists", taken.Status!.Message);
    }

    [Fact]
    public async Task Invalid_pod_from_the_transcript_is_a_422_with_every_recorded_cause()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("secops");
        var recorded = TranscriptDirectory.Load("errors-422-invalid.txt").Find("invalid pod");
        // The recorded request body goes through the Pod model (unknown fields such as ports survive in Extra).
        var pod = JsonSerializer.Deserialize(recorded.Request.Body, KubeJsonContext.Default.Pod)!;

        var invalid = await Assert.ThrowsAsync<KubeInvalidException>(() => cluster.Client.CreateAsync(Pods, "secops", pod, KubeJsonContext.Default.Pod));

        var expected = recorded.Response.Json!["details"]!["causes"]!.AsArray()
            .Select(c => (c!["reason"]!.GetValue<string>(), c["field"]!.GetValue<string>(), c["message"]!.GetValue<string>()));
        Assert.Equal(expected, invalid.Causes.Select(c => (c.Reason!, c.Field!, c.Message!)));
        Assert.Equal(recorded.Response.Json!["message"]!.GetValue<string>(), invalid.Status!.Message);
    }

    [Fact]
    public async Task Unprivileged_token_is_Forbidden_with_the_plural_kind_and_a_wrong_token_is_Unauthorized()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.Api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-0"));
        cluster.Api.AddUnprivilegedUser("no-rbac-token", "system:serviceaccount:secops:no-rbac");
        var recorded = TranscriptDirectory.Load("errors-403-forbidden-401.txt").Find("get one pod with the SA token");

        // errors-403 REQUEST 3: 403 Forbidden, details.kind is the resource plural, the message names user, verb and namespace.
        var forbidden = await Assert.ThrowsAsync<KubeForbiddenException>(() =>
            cluster.ClientWithToken("no-rbac-token").GetAsync(Pods, "secops", "web-0", KubeJsonContext.Default.Pod));
        Assert.Equal((403, "Forbidden"), (forbidden.Code, forbidden.Reason));
        Assert.Equal("pods", forbidden.Status!.Details!.Kind);
        Assert.Equal(recorded.Response.Json!["message"]!.GetValue<string>(), forbidden.Status.Message);

        // errors-403 REQUEST 7: an invalid token is 401 {reason Unauthorized, message Unauthorized}; a static token is not retried.
        var before = cluster.Api.Requests.Count;
        var unauthorized = await Assert.ThrowsAsync<KubeUnauthorizedException>(() =>
            cluster.ClientWithToken("not-a-valid-token").GetAsync(Pods, "secops", "web-0", KubeJsonContext.Default.Pod));
        Assert.Equal((401, "Unauthorized", "Unauthorized"), (unauthorized.Code, unauthorized.Reason, unauthorized.Status!.Message));
        Assert.Equal(before + 1, cluster.Api.Requests.Count);
    }

    [Fact]
    public async Task Unserved_group_is_ApiNotServed_until_the_kind_is_registered_and_an_unknown_resource_is_a_plain_NotFound()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var client = cluster.Client;

        // errors-404 REQUEST 5: wgpolicyk8s.io is not installed -> text/plain "404 page not found".
        var unserved = await Assert.ThrowsAsync<KubeNotFoundException>(() =>
            client.ListAsync(KubeResource.PolicyReports, "secops", KubeJsonContext.Default.KubeListPolicyReport));
        Assert.True(unserved.ApiNotServed);
        Assert.Null(unserved.Status);
        Assert.Contains("404 page not found", unserved.Message);

        // errors-404 REQUEST 4: an unknown resource in a served group/version is a Status 404, not "not served".
        var unknown = await Assert.ThrowsAsync<KubeNotFoundException>(() =>
            client.ListAsync(new KubeResource("", "v1", "nosuchthings", "NoSuchThing", true), "secops", KubeJsonContext.Default.KubeListPod));
        Assert.False(unknown.ApiNotServed);
        Assert.Equal("the server could not find the requested resource", unknown.Status!.Message);

        // Once the CRD is established the same call works (an empty list).
        cluster.Api.Register(ResourceCatalog.PolicyReports);
        var reports = await client.ListAsync(KubeResource.PolicyReports, "secops", KubeJsonContext.Default.KubeListPolicyReport);
        Assert.Empty(reports.Items);
    }
}
