using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Admission;
using SecurityOperator.Tests.Policy;

namespace SecurityOperator.Tests.Admission;

/// <summary>Hostile and broken input against the running server: random bytes, real reviews cut short, with bytes
/// flipped, tokens spliced in or values replaced by other JSON types, bodies sent slowly, cut off or stalled. Whatever
/// comes in, the answer is never a 5xx, no error is logged (no exception escaped to Kestrel), and the server still
/// decides a valid review afterwards. Seeded: a failure reproduces.</summary>
public class AdmissionServerFuzzTests
{
    private static readonly byte[][] RealReviews =
    [
        AdmissionTranscripts.Call("adm-01", 1).Body, AdmissionTranscripts.Call("adm-01", 2).Body, AdmissionTranscripts.Call("adm-02", 2).Body,
        AdmissionTranscripts.Call("adm-03", 2).Body, AdmissionTranscripts.Call("adm-04", 2).Body, AdmissionTranscripts.Call("adm-05", 2).Body,
        AdmissionTranscripts.Call("adm-06", 2).Body, AdmissionTranscripts.Call("adm-06", 3).Body,
    ];

    private static readonly string[] Fragments = ["{", "}", "[", "]", "\"", ",", ":", "null", "\\u00", "\\", "1e999", "-", "\u00e9", "\uffff", "\0", "true"];

    private static Task<WebhookServerFixture> StartAsync(Func<AdmissionServerOptions, AdmissionServerOptions>? configure = null) =>
        WebhookServerFixture.StartAsync([ReviewKit.Restricted(actions: """["deny",{"mutate":{"harden":true}}]"""),
            PolicyTestKit.Rule("""[{"runAsRoot":true},{"missingResourceLimits":true}]""",
                """["deny",{"mutate":{"setDefaults":{"limits":{"cpu":"1","memory":"1Gi"}}}}]""", "warn")], configure);

    [Fact]
    public async Task RandomAndMutatedReviewsNeverGetA5xx()
    {
        await using var server = await StartAsync();
        var random = new Random(20261122);
        var codes = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < 400; i++)
        {
            var body = Mutate(random, i % 6);
            var path = random.Next(2) == 0 ? "/validate" : "/mutate";
            using var response = await server.Client.SendAsync(WebhookServerFixture.ApiServerPost(path, body));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest,
                $"case {i}: {(int)response.StatusCode} for {Preview(body)}: {text}");
            Assert.NotNull(JsonNode.Parse(text));
            codes[response.StatusCode] = codes.GetValueOrDefault(response.StatusCode) + 1;
        }
        // Both kinds of answer were exercised: the fuzzing reached the decision path, not only the parser's refusals.
        Assert.True(codes.GetValueOrDefault(HttpStatusCode.OK) > 50 && codes.GetValueOrDefault(HttpStatusCode.BadRequest) > 50, string.Join(",", codes));
        await AssertStillServingAsync(server);
    }

    private static string Preview(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text[..Math.Min(text.Length, 300)];
    }

    private static byte[] Mutate(Random random, int strategy)
    {
        var real = RealReviews[random.Next(RealReviews.Length)];
        switch (strategy)
        {
            case 0:
                var bytes = new byte[random.Next(0, 3000)];
                random.NextBytes(bytes);
                return bytes;
            case 1:
                return real[..random.Next(real.Length)];
            case 2:
                var flipped = (byte[])real.Clone();
                for (var n = random.Next(1, 12); n > 0; n--) flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                return flipped;
            case 3:
                var text = Encoding.UTF8.GetString(real);
                for (var n = random.Next(1, 6); n > 0; n--) text = text.Insert(random.Next(text.Length), Fragments[random.Next(Fragments.Length)]);
                return Encoding.UTF8.GetBytes(text);
            case 4:
                return ReplaceRandomValue(random, real);
            default:
                return ReviewKit.Edit(real, r =>
                {
                    r["uid"] = "u\"\\\u2028" + random.Next();
                    r["namespace"] = random.Next(3) == 0 ? "kube-system" : new string('n', random.Next(1, 400));
                    r["operation"] = new[] { "CREATE", "UPDATE", "DELETE", "CONNECT", "PATCH" }[random.Next(5)];
                    r["subResource"] = random.Next(2) == 0 ? "ephemeralcontainers" : "status";
                });
        }
    }

    /// <summary>A real review with one value anywhere in it replaced by a value of another JSON type.</summary>
    private static byte[] ReplaceRandomValue(Random random, byte[] real)
    {
        var root = JsonNode.Parse(real)!;
        var nodes = new List<JsonNode>();
        void Collect(JsonNode node)
        {
            nodes.Add(node);
            if (node is JsonObject o) foreach (var (_, child) in o) { if (child is not null) Collect(child); }
            else if (node is JsonArray a) foreach (var child in a) { if (child is not null) Collect(child); }
        }
        Collect(root);
        var target = nodes[random.Next(1, nodes.Count)];
        JsonNode? replacement = random.Next(6) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next()),
            2 => JsonValue.Create("x"),
            3 => new JsonArray(JsonValue.Create(1), new JsonObject()),
            4 => new JsonObject { ["a"] = new JsonArray() },
            _ => JsonValue.Create(true),
        };
        switch (target.Parent)
        {
            case JsonObject parent: parent[target.GetPropertyName()] = replacement; break;
            case JsonArray array: array[target.GetElementIndex()] = replacement; break;
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    [Fact]
    public async Task ASlowClientIsServedCorrectly()
    {
        await using var server = await StartAsync();
        var call = AdmissionTranscripts.Call("adm-01", 2);
        var parts = new List<byte[]> { RawHttp.Head("/validate", call.Body.Length) };
        parts.AddRange(call.Body.Chunk(call.Body.Length / 40 + 1));
        using var tls = await server.ConnectRawAsync();
        var answer = await RawHttp.ExchangeAsync(tls, parts, TimeSpan.FromMilliseconds(10));
        Assert.Equal(200, RawHttp.StatusCode(answer));
        Assert.Equal(call.Uid, (string)JsonNode.Parse(RawHttp.Body(answer))!["response"]!["uid"]!);
        await AssertStillServingAsync(server);
    }

    [Fact]
    public async Task TruncatedAndStalledBodiesAreRefusedWithoutHarm()
    {
        await using var server = await StartAsync(o => o with { RequestDeadline = TimeSpan.FromMilliseconds(300) });
        var body = AdmissionTranscripts.Call("adm-01", 2).Body;

        // Content-Length promises more than is sent, then the client closes its side. A client slowed past the 0.3 s
        // deadline before it closes gets the deadline's 408 instead: refused either way.
        using (var tls = await server.ConnectRawAsync())
        {
            var answer = await RawHttp.ExchangeAsync(tls, [RawHttp.Head("/validate", body.Length), body[..(body.Length / 2)]], closeAfterSending: true);
            Assert.True(RawHttp.StatusCode(answer) is 0 or 400 or 408, answer);
        }

        // The client stops sending halfway and waits: the deadline answers 408.
        using (var tls = await server.ConnectRawAsync())
        {
            var answer = await RawHttp.ExchangeAsync(tls, [RawHttp.Head("/validate", body.Length), body[..(body.Length / 2)]]);
            Assert.Equal(408, RawHttp.StatusCode(answer));
            Assert.Contains("did not arrive within 0.3s", (string)JsonNode.Parse(RawHttp.Body(answer))!["message"]!);
        }

        // Garbage instead of HTTP, and a connection closed mid-headers.
        using (var tls = await server.ConnectRawAsync())
            Assert.True(RawHttp.StatusCode(await RawHttp.ExchangeAsync(tls, [Encoding.ASCII.GetBytes("BREW /pot HTCPCP/1.0\r\n\r\n")])) is 0 or 400);
        using (var tls = await server.ConnectRawAsync())
            await RawHttp.ExchangeAsync(tls, [Encoding.ASCII.GetBytes("POST /validate HTTP/1.1\r\nContent-Le")], closeAfterSending: true);

        await AssertStillServingAsync(server);
    }

    private static async Task AssertStillServingAsync(WebhookServerFixture server)
    {
        var call = AdmissionTranscripts.Call("adm-01", 2);
        using var client = server.CreateClient();
        using var response = await client.SendAsync(WebhookServerFixture.ApiServerPost("/validate", call.Body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(call.Uid, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!["uid"]!);
        await server.DisposeAsync();
        var errors = server.Log.Text().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains("\"level\":\"error\"", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
