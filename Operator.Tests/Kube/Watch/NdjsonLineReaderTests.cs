using System.Text;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Watch;

public class NdjsonLineReaderTests
{
    private static async Task<List<string>> ReadAll(Stream body, long max = 1 << 20)
    {
        await using var reader = new NdjsonLineReader(body, max);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line) lines.Add(Encoding.UTF8.GetString(line.Span));
        return lines;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task Lines_are_reassembled_whatever_the_read_size(int chunk)
    {
        var text = "{\"a\":1}\n{\"b\":\"two words\"}\n\n{\"c\":[1,2,3]}\r\n";
        var lines = await ReadAll(new ScriptedStream(Encoding.UTF8.GetBytes(text), ScriptedStream.Ending.EndOfStream, chunk));
        Assert.Equal(new[] { "{\"a\":1}", "{\"b\":\"two words\"}", "{\"c\":[1,2,3]}" }, lines);
    }

    [Fact]
    public async Task A_last_line_without_newline_is_still_a_line()
    {
        var lines = await ReadAll(new ScriptedStream(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":2}"), ScriptedStream.Ending.EndOfStream, 2));
        Assert.Equal(new[] { "{\"a\":1}", "{\"b\":2}" }, lines);
    }

    [Fact]
    public async Task A_line_over_the_limit_fails_once_the_limit_is_buffered()
    {
        var body = new ScriptedStream(Encoding.UTF8.GetBytes("{\"ok\":1}\n" + new string('x', 1 << 20) + "\n"), ScriptedStream.Ending.EndOfStream, 512);
        await using var reader = new NdjsonLineReader(body, 4096);
        Assert.NotNull(await reader.ReadLineAsync(CancellationToken.None));
        await Assert.ThrowsAsync<WatchFrameTooLargeException>(async () => await reader.ReadLineAsync(CancellationToken.None));
        Assert.True(body.BytesRead < 64 * 1024, $"read {body.BytesRead} bytes");
    }

    [Fact]
    public async Task A_reset_surfaces_as_IOException()
    {
        var body = new ScriptedStream(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\""), ScriptedStream.Ending.Reset);
        await using var reader = new NdjsonLineReader(body, 4096);
        Assert.NotNull(await reader.ReadLineAsync(CancellationToken.None));
        await Assert.ThrowsAsync<IOException>(async () => await reader.ReadLineAsync(CancellationToken.None));
    }
}
