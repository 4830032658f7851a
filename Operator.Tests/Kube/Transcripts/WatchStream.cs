using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>A raw watch over HttpClient for tests: the 200 response's headers, then one frame (JSON line) at a time.
/// Reads never wait forever: after <see cref="SafetyTimeout"/> a read fails the test instead of hanging it.</summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static TimeSpan SafetyTimeout { get; } = TimeSpan.FromSeconds(60);

    public HttpResponseMessage Response => _response;

    /// <summary>Sends the GET and returns once the response headers arrived (the double has registered the watch by then).</summary>
    public static async Task<WatchStream> OpenAsync(HttpClient client, string pathAndQuery)
    {
        var response = await client.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        return new WatchStream(response, new StreamReader(stream));
    }

    /// <summary>The next frame, or null at the end of the stream.</summary>
    public async Task<JsonObject?> NextAsync()
    {
        using var safety = new CancellationTokenSource(SafetyTimeout);
        var line = await _reader.ReadLineAsync(safety.Token);
        return line is null ? null : (JsonObject)JsonNode.Parse(line)!;
    }

    /// <summary>Frames until the server ends the stream.</summary>
    public async Task<List<JsonObject>> ReadToEndAsync()
    {
        var frames = new List<JsonObject>();
        while (await NextAsync() is { } frame) frames.Add(frame);
        return frames;
    }

    /// <summary>The next <paramref name="count"/> frames that are not BOOKMARKs.</summary>
    public async Task<List<JsonObject>> NextEventsAsync(int count)
    {
        var frames = new List<JsonObject>();
        while (frames.Count < count)
        {
            var frame = await NextAsync() ?? throw new Xunit.Sdk.XunitException($"stream ended after {frames.Count} of {count} events");
            if (Type(frame) != "BOOKMARK") frames.Add(frame);
        }
        return frames;
    }

    public static string Type(JsonObject frame) => frame["type"]!.GetValue<string>();
    public static string Name(JsonObject frame) => frame["object"]?["metadata"]?["name"]?.GetValue<string>() ?? "";
    public static string ResourceVersion(JsonObject frame) => frame["object"]?["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "";

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
