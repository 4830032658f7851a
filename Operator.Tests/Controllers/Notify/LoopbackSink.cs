using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Controllers.Notify;

/// <summary>A small HTTP server on 127.0.0.1 standing in for a notification receiver: it records every request and
/// answers from a script (default 200). A scripted <see cref="Reply.Hang"/> holds the request until the server stops,
/// so the client's timeout is what ends it.</summary>
internal sealed class LoopbackSink : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<Reply> _script = new();
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public sealed record Received(string Method, string Path, string? Authorization, string? ContentType, string Body)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    }

    public sealed record Reply(int Status, string? RetryAfter = null, string? Location = null, bool Hang = false);

    private LoopbackSink(HttpListener listener, Uri url)
    {
        _listener = listener;
        Url = url;
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    public IReadOnlyList<Received> Requests => _received.ToArray();

    public static LoopbackSink Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new LoopbackSink(listener, new Uri($"http://127.0.0.1:{port}/hooks/security"));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Answers for the next requests, in order; after them every request gets 200.</summary>
    public void Script(params Reply[] replies)
    {
        foreach (var reply in replies) _script.Enqueue(reply);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening) { return; }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync();
        _received.Enqueue(new Received(context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
            context.Request.Headers["Authorization"], context.Request.ContentType, body));
        var reply = _script.TryDequeue(out var next) ? next : new Reply(200);
        try
        {
            if (reply.Hang) await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            context.Response.StatusCode = reply.Status;
            if (reply.RetryAfter is not null) context.Response.Headers["Retry-After"] = reply.RetryAfter;
            if (reply.Location is not null) context.Response.Headers["Location"] = reply.Location;
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client gave up (timeout) or the server is stopping.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }

    }
}
