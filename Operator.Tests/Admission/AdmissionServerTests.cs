using System.Net;
using System.Security.Authentication;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecurityOperator.Admission;

namespace SecurityOperator.Tests.Admission;

public class AdmissionServerTests
{
    private static readonly byte[] PodCreate = AdmissionTranscripts.Call("adm-01", 2).Body;

    private static async Task<(HttpStatusCode Code, string? ContentType, JsonNode? Json, string Text)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json") json = JsonNode.Parse(text);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), json, text);
    }

    [Fact]
    public async Task ValidateAndMutateAnswerAdmissionReviewsOverHttps()
    {
        await using var server = await WebhookServerFixture.StartAsync([ReviewKit.Restricted(actions: """["deny",{"mutate":{"harden":true}}]""")]);
        var call = AdmissionTranscripts.Call("adm-01", 2);
        var (code, type, json, _) = await SendAsync(server.Client, WebhookServerFixture.ApiServerPost("/validate", call.Body));
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("application/json", type);
        Assert.Equal("admission.k8s.io/v1", (string)json!["apiVersion"]!);
        Assert.Equal(call.Uid, (string)json["response"]!["uid"]!);
        Assert.False((bool)json["response"]!["allowed"]!);
        Assert.Equal(403, (int)json["response"]!["status"]!["code"]!);

        var mutate = AdmissionTranscripts.Call("adm-01", 1);
        (code, _, json, _) = await SendAsync(server.Client, WebhookServerFixture.ApiServerPost("/mutate", mutate.Body));
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(mutate.Uid, (string)json!["response"]!["uid"]!);
        Assert.Equal("JSONPatch", (string)json["response"]!["patchType"]!);

        var metrics = server.Metrics.Render();
        Assert.Contains("security_operator_admission_requests_total{endpoint=\"validate\",operation=\"CREATE\",result=\"denied\"} 1\n", metrics);
        Assert.Contains("security_operator_admission_requests_total{endpoint=\"mutate\",operation=\"CREATE\",result=\"patched\"} 1\n", metrics);
        Assert.Contains("security_operator_admission_decision_seconds_count{endpoint=\"validate\"} 1\n", metrics);
    }

    [Fact]
    public async Task TheEnforceAndAuditHalvesOfValidationAreServedOnTheirOwnPaths()
    {
        await using var server = await WebhookServerFixture.StartAsync([ReviewKit.Restricted("warn")]);
        var call = AdmissionTranscripts.Call("adm-01", 2);
        var (code, _, json, _) = await SendAsync(server.Client, WebhookServerFixture.ApiServerPost("/validate/enforce", call.Body));
        Assert.Equal(HttpStatusCode.OK, code);
        // The only policy warns: the Fail-policy half has nothing to say.
        Assert.Equal($$"""{"uid":"{{call.Uid}}","allowed":true}""", json!["response"]!.ToJsonString());
        (code, _, json, _) = await SendAsync(server.Client, WebhookServerFixture.ApiServerPost("/validate/audit", call.Body));
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.NotEmpty(json!["response"]!["warnings"]!.AsArray());
        var metrics = server.Metrics.Render();
        Assert.Contains("security_operator_admission_requests_total{endpoint=\"validate_enforce\",operation=\"CREATE\",result=\"allowed\"} 1\n", metrics);
        Assert.Contains("security_operator_admission_requests_total{endpoint=\"validate_audit\",operation=\"CREATE\",result=\"warned\"} 1\n", metrics);
    }

    [Fact]
    public async Task PipelinedReviewsOnOneConnectionAreEachAnsweredCompleteAndInOrder()
    {
        // The handler leaves the answer in the response pipe for Kestrel to send when the request ends: each answer
        // must still arrive whole, with its own Content-Length, before the next request's answer.
        await using var server = await WebhookServerFixture.StartAsync([ReviewKit.Restricted()]);
        var denied = AdmissionTranscripts.Call("adm-01", 2);
        using var tls = await server.ConnectRawAsync();
        var bytes = new List<byte>();
        foreach (var (call, last) in new[] { (denied, false), (denied, false), (denied, true) })
            bytes.AddRange([.. RawHttp.Head("/validate", call.Body.Length, close: last), .. call.Body]);
        await tls.WriteAsync(bytes.ToArray());
        var received = new MemoryStream();
        await tls.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(30));
        var text = Encoding.UTF8.GetString(received.ToArray());
        var answers = text.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, answers.Length);
        foreach (var answer in answers)
        {
            Assert.StartsWith("200 OK\r\n", answer);
            var body = RawHttp.Body(answer);
            var length = System.Text.RegularExpressions.Regex.Match(answer, "(?im)^content-length: *([0-9]+)").Groups[1].Value;
            Assert.Equal(int.Parse(length), Encoding.UTF8.GetByteCount(body));
            var response = JsonNode.Parse(body)!["response"]!;
            Assert.Equal(denied.Uid, (string)response["uid"]!);
            Assert.False((bool)response["allowed"]!);
        }
    }

    [Fact]
    public async Task TheHostingLayerKeepsNoPerRequestDiagnosticsWhileKestrelWarningsStillReachTheLog()
    {
        await using var server = await WebhookServerFixture.StartAsync([]);
        var loggers = server.Server.Services.GetRequiredService<ILoggerFactory>();
        // Enabled at any level, this logger makes ASP.NET Core start an Activity and a log scope for every request.
        Assert.False(loggers.CreateLogger(AdmissionServer.HostingDiagnosticsCategory).IsEnabled(LogLevel.Critical));
        var kestrel = loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel");
        Assert.True(kestrel.IsEnabled(LogLevel.Warning));
        Assert.False(kestrel.IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task HealthzReadsAndDiscardsAnyBody()
    {
        await using var server = await WebhookServerFixture.StartAsync([]);
        var (code, type, _, text) = await SendAsync(server.Client, WebhookServerFixture.ApiServerPost("/healthz", PodCreate));
        Assert.Equal((HttpStatusCode.OK, "text/plain; charset=utf-8", "ok\n"), (code, type, text));
        (code, _, _, text) = await SendAsync(server.Client, new HttpRequestMessage(HttpMethod.Get, "/healthz"));
        Assert.Equal((HttpStatusCode.OK, "ok\n"), (code, text));
    }

    [Fact]
    public async Task EveryRefusalHasItsStatusCodeAndAStatusNamingTheProblem()
    {
        await using var server = await WebhookServerFixture.StartAsync([ReviewKit.Restricted()], o => o with { MaxRequestBodyBytes = 64 * 1024 });
        var client = server.Client;

        var (code, _, _, text) = await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/nope"));
        Assert.Equal((HttpStatusCode.NotFound, "404 page not found\n"), (code, text));

        (code, _, var json, _) = await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, "/validate"));
        AssertStatus(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "/validate accepts only POST", code, json);

        (code, _, json, _) = await SendAsync(client, WebhookServerFixture.ApiServerPost("/validate", PodCreate, "text/plain"));
        AssertStatus(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "Content-Type must be application/json", code, json);

        // A declared Content-Length over the limit is refused from the headers alone, before any body byte is read.
        // (Sent by hand: HttpClient would still be uploading when the server answers and closes, and report the
        // broken upload instead of the answer.)
        using (var tls = await server.ConnectRawAsync())
        {
            var answer = await RawHttp.ExchangeAsync(tls, [RawHttp.Head("/validate", 100 * 1024)]);
            Assert.Equal(413, RawHttp.StatusCode(answer));
            AssertStatus(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "exceeds the limit of 65536 bytes",
                HttpStatusCode.RequestEntityTooLarge, JsonNode.Parse(RawHttp.Body(answer)));
        }

        // Without Content-Length (chunked) the limit applies while reading; the server answers and closes without
        // waiting for the rest (so this client is written by hand: HttpClient reports the cut-off upload instead).
        using (var tls = await server.ConnectRawAsync())
        {
            var chunk = new byte[100 * 1024];
            chunk.AsSpan().Fill((byte)' ');
            var answer = await RawHttp.ExchangeAsync(tls, [RawHttp.Head("/validate", null, chunked: true),
                Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"), chunk, "\r\n0\r\n\r\n"u8.ToArray()]);
            Assert.Equal(413, RawHttp.StatusCode(answer));
            AssertStatus(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "exceeds the limit", HttpStatusCode.RequestEntityTooLarge,
                JsonNode.Parse(RawHttp.Body(answer)));
        }

        (code, _, json, _) = await SendAsync(client, WebhookServerFixture.ApiServerPost("/validate", "{\"apiVersion\":"u8.ToArray()));
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "not a valid AdmissionReview: malformed JSON", code, json);

        (code, _, json, _) = await SendAsync(client, WebhookServerFixture.ApiServerPost("/mutate",
            """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"""u8.ToArray()));
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "the AdmissionReview has no request", code, json);

        (code, _, json, _) = await SendAsync(client, WebhookServerFixture.ApiServerPost("/validate",
            """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}"""u8.ToArray()));
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "request.uid is missing", code, json);

        // The server still decides after all of that.
        (code, _, json, _) = await SendAsync(client, WebhookServerFixture.ApiServerPost("/validate", PodCreate));
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Contains("result=\"too_large\"} 2\n", server.Metrics.Render());
    }

    private static void AssertStatus(HttpStatusCode expected, string reason, string message, HttpStatusCode code, JsonNode? json)
    {
        Assert.Equal(expected, code);
        Assert.NotNull(json);
        Assert.Equal(("Status", "Failure", reason, (int)expected), ((string)json["kind"]!, (string)json["status"]!, (string)json["reason"]!, (int)json["code"]!));
        Assert.Contains(message, (string)json["message"]!);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task Tls12And13AreServed(SslProtocols protocol)
    {
        await using var server = await WebhookServerFixture.StartAsync([]);
        using var client = server.CreateClient(protocol);
        var (code, _, _, _) = await SendAsync(client, WebhookServerFixture.ApiServerPost("/validate", PodCreate));
        Assert.Equal(HttpStatusCode.OK, code);
    }

    [Fact]
    public async Task ACertificateSwappedIntoTheSecretVolumeIsServedToNewConnections()
    {
        await using var server = await WebhookServerFixture.StartAsync([]);
        using (var first = server.CreateClient())
        {
            await first.GetAsync("/healthz");
            Assert.Equal("CN=webhook-one", server.LastServerSubject);
        }
        server.Volume.Swap(TestCertificates.Create("webhook-two"));
        Assert.True(server.Certificates.CheckNow());
        using var second = server.CreateClient();
        var response = await second.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CN=webhook-two", server.LastServerSubject);
    }
}
