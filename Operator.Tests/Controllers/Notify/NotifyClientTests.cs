using SecurityOperator.Controllers.Notify;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Tests.Hosting.Logging;
using static SecurityOperator.Tests.Controllers.Notify.NotifyTestMessages;

namespace SecurityOperator.Tests.Controllers.Notify;

public sealed class NotifyClientTests : IDisposable
{
    private readonly LoopbackSink _sink = LoopbackSink.Start();
    private readonly string _dir = Directory.CreateTempSubdirectory("notify-token-").FullName;
    private readonly NotifyMetrics _metrics = new(new MetricsRegistry());

    public void Dispose()
    {
        _sink.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string TokenFile(string token)
    {
        var path = Path.Combine(_dir, "token");
        File.WriteAllText(path, token);
        return path;
    }

    [Fact]
    public async Task The_body_is_the_documented_json_with_a_bearer_token_from_the_file()
    {
        using var client = new NotifyClient(Settings(_sink.Url, TokenFile("s3cret\n")), _metrics);
        Assert.True(await client.SendAsync(Message(), CancellationToken.None));

        var request = Assert.Single(_sink.Requests);
        Assert.Equal(("POST", "/hooks/security", "Bearer s3cret"), (request.Method, request.Path, request.Authorization));
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        var body = request.Json;
        Assert.Equal("security.io/notify/v1", body["schema"]!.GetValue<string>());
        Assert.Equal("m1", body["id"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05Z", body["timestamp"]!.GetValue<string>());
        Assert.Equal("prod-eu", body["cluster"]!.GetValue<string>());
        Assert.Equal("controller-0", body["controller"]!["instance"]!.GetValue<string>());
        Assert.Equal(("SecurityPolicy", "shop", "baseline"),
            (body["policy"]!["kind"]!.GetValue<string>(), body["policy"]!["namespace"]!.GetValue<string>(), body["policy"]!["name"]!.GetValue<string>()));
        Assert.Equal(("no-privileged", "high", "deny", "enforce"),
            (body["rule"]!.GetValue<string>(), body["severity"]!.GetValue<string>(), body["action"]!.GetValue<string>(), body["enforcementMode"]!.GetValue<string>()));
        Assert.Equal("security-team", body["channels"]![0]!.GetValue<string>());
        Assert.Equal(("v1", "Pod", "shop", "cart-1", "uid-1"), (body["object"]!["apiVersion"]!.GetValue<string>(), body["object"]!["kind"]!.GetValue<string>(),
            body["object"]!["namespace"]!.GetValue<string>(), body["object"]!["name"]!.GetValue<string>(), body["object"]!["uid"]!.GetValue<string>()));
        Assert.Equal(("app", "spec.containers[0].securityContext.privileged", "privilegedContainer", "container app is privileged"),
            (body["container"]!.GetValue<string>(), body["field"]!.GetValue<string>(), body["condition"]!.GetValue<string>(), body["message"]!.GetValue<string>()));
        Assert.Equal(1, _metrics.Sent.Value);
    }

    [Fact]
    public async Task A_rotated_token_file_is_used_for_the_next_message_and_an_unreadable_one_never_sends_without_a_token()
    {
        var path = TokenFile("first");
        using var client = new NotifyClient(Settings(_sink.Url, path, retries: 0), _metrics);
        Assert.True(await client.SendAsync(Message("a"), CancellationToken.None));
        // kubelet swaps a Secret volume's files atomically; a rename is the same for the reader.
        File.WriteAllText(path + ".new", "second");
        File.Move(path + ".new", path, overwrite: true);
        Assert.True(await client.SendAsync(Message("b"), CancellationToken.None));
        File.Delete(path);
        Assert.False(await client.SendAsync(Message("c"), CancellationToken.None));

        Assert.Equal(["Bearer first", "Bearer second"], _sink.Requests.Select(r => r.Authorization));
        Assert.Equal(1, _metrics.Failed.Value);
    }

    [Fact]
    public async Task Without_a_token_file_no_authorization_header_is_sent()
    {
        using var client = new NotifyClient(Settings(_sink.Url), _metrics);
        Assert.True(await client.SendAsync(Message(), CancellationToken.None));
        Assert.Null(Assert.Single(_sink.Requests).Authorization);
    }

    [Fact]
    public async Task Server_errors_and_429_are_retried_until_accepted()
    {
        _sink.Script(new LoopbackSink.Reply(500), new LoopbackSink.Reply(503), new LoopbackSink.Reply(429, RetryAfter: "0"));
        using var client = new NotifyClient(Settings(_sink.Url, retries: 3), _metrics);
        Assert.True(await client.SendAsync(Message(), CancellationToken.None));
        Assert.Equal(4, _sink.Requests.Count);
        Assert.All(_sink.Requests, r => Assert.Equal("m1", r.Json["id"]!.GetValue<string>()));
        Assert.Equal((1, 3, 0), (_metrics.Sent.Value, _metrics.Retried.Value, _metrics.Failed.Value));
    }

    [Fact]
    public async Task Retry_after_of_a_429_replaces_the_backoff()
    {
        // A backoff of an hour would hang this test: only Retry-After: 0 lets the retry go at once.
        _sink.Script(new LoopbackSink.Reply(429, RetryAfter: "0"));
        var settings = Settings(_sink.Url) with { InitialBackoff = TimeSpan.FromHours(1), MaxBackoff = TimeSpan.FromHours(1) };
        using var client = new NotifyClient(settings, _metrics, backoff: new NotifyBackoff(settings.InitialBackoff, settings.MaxBackoff, () => 1));
        Assert.True(await client.SendAsync(Message(), CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(5)));
        Assert.Equal(2, _sink.Requests.Count);
    }

    [Fact]
    public async Task A_400_is_final_and_so_is_a_redirect()
    {
        _sink.Script(new LoopbackSink.Reply(400), new LoopbackSink.Reply(307, Location: "http://127.0.0.1:1/elsewhere"));
        using var client = new NotifyClient(Settings(_sink.Url, TokenFile("t")), _metrics);
        Assert.False(await client.SendAsync(Message("a"), CancellationToken.None));
        Assert.False(await client.SendAsync(Message("b"), CancellationToken.None));
        Assert.Equal(2, _sink.Requests.Count);
        Assert.Equal((0, 0, 2), (_metrics.Sent.Value, _metrics.Retried.Value, _metrics.Failed.Value));
    }

    [Fact]
    public async Task An_attempt_without_an_answer_times_out_and_is_retried()
    {
        _sink.Script(new LoopbackSink.Reply(200, Hang: true));
        using var client = new NotifyClient(Settings(_sink.Url, timeout: TimeSpan.FromMilliseconds(300)), _metrics);
        Assert.True(await client.SendAsync(Message(), CancellationToken.None));
        Assert.Equal(2, _sink.Requests.Count);
        Assert.Equal(1, _metrics.Retried.Value);
    }

    [Fact]
    public async Task After_the_last_retry_the_message_is_given_up()
    {
        _sink.Script(Enumerable.Repeat(new LoopbackSink.Reply(502), 10).ToArray());
        using var client = new NotifyClient(Settings(_sink.Url, retries: 2), _metrics);
        Assert.False(await client.SendAsync(Message(), CancellationToken.None));
        Assert.Equal(3, _sink.Requests.Count);
        Assert.Equal((2, 1), (_metrics.Retried.Value, _metrics.Failed.Value));
    }

    [Fact]
    public async Task The_token_never_reaches_the_log()
    {
        var capture = new LogCapture();
        _sink.Script(new LoopbackSink.Reply(500), new LoopbackSink.Reply(401));
        var path = TokenFile("tok-4f1d9c");
        using (var client = new NotifyClient(Settings(_sink.Url, path), _metrics, logger: capture.Logger("notify")))
        {
            Assert.False(await client.SendAsync(Message("a"), CancellationToken.None));
            File.WriteAllText(path, "tok-4f1d9c\nsecond-line-7e2a");
            Assert.False(await client.SendAsync(Message("b"), CancellationToken.None) );
        }
        var text = capture.Text();
        Assert.Contains("HTTP 401", text, StringComparison.Ordinal);
        Assert.Contains("holds more than one line", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-4f1d9c", text, StringComparison.Ordinal);
        Assert.DoesNotContain("second-line-7e2a", text, StringComparison.Ordinal);
    }
}
