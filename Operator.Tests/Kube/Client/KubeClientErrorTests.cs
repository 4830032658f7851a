using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Client;

/// <summary>Real error answers from the transcripts, decoded into the typed exceptions.</summary>
public sealed class KubeClientErrorTests : CannedServerTest
{
    private static readonly HttpMethod[] Methods = [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch];

    /// <summary>Replays the exchange through a raw request and decodes the answer with the decoder the typed verbs use.</summary>
    private async Task<KubeApiException> ErrorFrom(string file, int number, Func<CannedResponse, CannedResponse>? edit = null)
    {
        var exchange = Transcript.Exchange(file, number);
        Server.Respond(exchange.Method, exchange.PathAndQuery, edit is null ? exchange.Response : edit(exchange.Response));
        using var client = Client();
        var method = Methods.Single(m => m.Method == exchange.Method);
        var body = exchange.RequestBody.Length == 0 ? (ReadOnlyMemory<byte>?)null : System.Text.Encoding.UTF8.GetBytes(exchange.RequestBody);
        var response = await client.RawAsync(method, exchange.PathAndQuery, body);
        Assert.Equal(exchange.Response.Status, response.StatusCode);
        return KubeApiErrorDecoder.Decode(response.StatusCode, response.ContentType, response.Body, response.RetryAfter,
            $"{method} {exchange.PathAndQuery}", DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Missing_pod_is_NotFound_with_details()
    {
        Serve("errors-404-not-found.txt", 1);
        using var client = Client();
        var e = await Assert.ThrowsAsync<KubeNotFoundException>(() =>
            client.GetAsync(KubeResource.Pods, "secops", "ghost", KubeJsonContext.Default.Pod));
        Assert.Equal(404, e.Code);
        Assert.Equal("NotFound", e.Reason);
        Assert.False(e.ApiNotServed);
        Assert.Equal("ghost", e.Status!.Details!.Name);
        Assert.Equal("pods", e.Status.Details.Kind);
        Assert.Equal("GET /api/v1/namespaces/secops/pods/ghost: 404 NotFound: pods \"ghost\" not found", e.Message);
    }

    [Fact]
    public async Task Unserved_group_text_plain_404_is_NotFound_with_a_clear_message()
    {
        Serve("errors-404-not-found.txt", 5);
        using var client = Client();
        var e = await Assert.ThrowsAsync<KubeNotFoundException>(() =>
            client.ListAsync(KubeResource.PolicyReports, "secops", KubeJsonContext.Default.KubeListPolicyReport));
        Assert.True(e.ApiNotServed);
        Assert.Equal("", e.Reason);
        Assert.Null(e.Status);
        Assert.Contains("404 page not found", e.Message);
        Assert.Contains("not served", e.Message);
    }

    [Fact]
    public async Task Unknown_resource_in_a_served_group_is_a_Status_404()
    {
        var e = Assert.IsType<KubeNotFoundException>(await ErrorFrom("errors-404-not-found.txt", 4));
        Assert.False(e.ApiNotServed);
        Assert.Equal("the server could not find the requested resource", e.Status!.Message);
    }

    [Fact]
    public async Task Duplicate_create_is_AlreadyExists()
    {
        var e = Assert.IsType<KubeAlreadyExistsException>(await ErrorFrom("pods-01-create.txt", 3));
        Assert.Equal(409, e.Code);
        Assert.Equal("AlreadyExists", e.Reason);
    }

    [Fact]
    public async Task Stale_put_is_Conflict()
    {
        var e = Assert.IsType<KubeConflictException>(await ErrorFrom("pods-09-put-conflict.txt", 3));
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", e.Message);
    }

    [Fact]
    public async Task Rbac_denial_is_Forbidden_and_bad_token_is_Unauthorized()
    {
        var forbidden = Assert.IsType<KubeForbiddenException>(await ErrorFrom("errors-403-forbidden-401.txt", 2));
        Assert.Equal("pods", forbidden.Status!.Details!.Kind);
        var unauthorized = Assert.IsType<KubeUnauthorizedException>(await ErrorFrom("errors-403-forbidden-401.txt", 7));
        Assert.Equal("Unauthorized", unauthorized.Reason);
    }

    [Fact]
    public async Task Webhook_denial_is_Forbidden_without_reason()
    {
        var e = Assert.IsType<KubeForbiddenException>(await ErrorFrom("adm-08-response-b-denied-403.txt", FirstErrorNumber("adm-08-response-b-denied-403.txt", 403)));
        Assert.Equal("", e.Reason);
        Assert.Contains("denied the request", e.Message);
    }

    [Fact]
    public async Task Invalid_pod_lists_every_cause()
    {
        var e = Assert.IsType<KubeInvalidException>(await ErrorFrom("errors-422-invalid.txt", 1));
        Assert.Equal(422, e.Code);
        Assert.Equal(5, e.Causes.Count);
        Assert.All(e.Causes, c => Assert.False(string.IsNullOrEmpty(c.Field)));
        Assert.All(e.Causes, c => Assert.False(string.IsNullOrEmpty(c.Reason)));
        Assert.Contains(e.Causes, c => c.Field == "metadata.name");
    }

    [Fact]
    public async Task Malformed_body_and_bad_microtime_are_BadRequest()
    {
        Assert.IsType<KubeBadRequestException>(await ErrorFrom("errors-422-invalid.txt", 5));
        var microTime = Assert.IsType<KubeBadRequestException>(await ErrorFrom("coord-01-lease-leader-election.txt", 7));
        Assert.Contains("2006-01-02T15:04:05.000000Z07:00", microTime.Message);
    }

    [Fact]
    public async Task Expired_continue_token_is_Gone()
    {
        var e = Assert.IsType<KubeGoneException>(await ErrorFrom("watch-03-410-gone-after-compaction.txt", 2));
        Assert.True(e.IsGone);
        Assert.Equal("Expired", e.Reason);
    }

    [Fact]
    public async Task Pdb_blocked_eviction_is_TooManyRequests_without_retry_after()
    {
        var exchange = Serve("pods-11-eviction.txt", 8);
        using var client = Client();
        var name = exchange.PathAndQuery.Split('/')[^2];
        var e = await Assert.ThrowsAsync<KubeTooManyRequestsException>(() => client.EvictAsync("secops", name));
        Assert.True(e.IsDisruptionBudget);
        Assert.Null(e.RetryAfter);
        Assert.Equal("DisruptionBudget", Assert.Single(e.Causes).Reason);
    }

    [Fact]
    public async Task Throttling_429_carries_retry_after_from_the_header()
    {
        var e = Assert.IsType<KubeTooManyRequestsException>(await ErrorFrom("pods-11-eviction.txt", 8, r => r.WithHeader("Retry-After", "3")));
        Assert.Equal(TimeSpan.FromSeconds(3), e.RetryAfter);
    }

    [Fact]
    public async Task Failing_webhook_is_InternalError()
    {
        var e = Assert.IsType<KubeInternalErrorException>(await ErrorFrom("adm-11-webhook-unreachable-failurePolicy-Fail.txt",
            FirstErrorNumber("adm-11-webhook-unreachable-failurePolicy-Fail.txt", 500)));
        Assert.Contains("failed calling webhook", e.Message);
    }

    [Fact]
    public async Task Server_timeout_status_is_Timeout()
    {
        // No transcript recorded a 504; this is the Status kube-apiserver's timeout filter writes (reason Timeout, code 504).
        var status = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: request did not complete within the allotted timeout","reason":"Timeout","details":{},"code":504}""";
        Server.Respond("GET", "/api/v1/namespaces/secops/pods/slow", new CannedResponse(504, [new("Content-Type", "application/json")], Transcript.Compact(status)));
        using var client = Client();
        var e = await Assert.ThrowsAsync<KubeTimeoutException>(() => client.GetAsync(KubeResource.Pods, "secops", "slow", KubeJsonContext.Default.Pod));
        Assert.Equal(504, e.Code);
    }

    [Fact]
    public async Task Non_status_error_body_keeps_code_and_snippet()
    {
        Server.Respond("GET", "/api/v1/namespaces/secops/pods/p", new CannedResponse(502, [new("Content-Type", "text/html")], "<html>bad gateway</html>"u8.ToArray()));
        using var client = Client();
        var e = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(KubeResource.Pods, "secops", "p", KubeJsonContext.Default.Pod));
        Assert.Equal(502, e.Code);
        Assert.Contains("<html>bad gateway</html>", e.Message);
    }

    [Fact]
    public async Task Html_404_from_a_proxy_is_NotFound_but_not_an_unserved_api()
    {
        Server.Respond("GET", "/api/v1/namespaces/secops/pods/p", new CannedResponse(404, [new("Content-Type", "text/html")], "<html>nope</html>"u8.ToArray()));
        using var client = Client();
        var e = await Assert.ThrowsAsync<KubeNotFoundException>(() => client.GetAsync(KubeResource.Pods, "secops", "p", KubeJsonContext.Default.Pod));
        Assert.False(e.ApiNotServed);
        Assert.Contains("<html>nope</html>", e.Message);
    }

    private static int FirstErrorNumber(string file, int status) => Transcript.Load(file).First(e => e.Response.Status == status).Number;
}
