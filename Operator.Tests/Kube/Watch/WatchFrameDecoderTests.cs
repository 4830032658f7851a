using System.Text;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Tests.Kube.Watch;

public class WatchFrameDecoderTests
{
    private static readonly FakeListerWatcher Codec = new();

    private static object Decode(string line) => WatchFrameDecoder.Decode(Encoding.UTF8.GetBytes(line), Codec);

    [Fact]
    public void Decodes_every_frame_of_the_recorded_watches()
    {
        var frames = TranscriptFrames.Of("watch-01-namespace-bookmarks.txt", 2)
            .Concat(TranscriptFrames.Of("watch-07-custom-resources.txt", 1));
        var decoded = frames.Select(l => WatchFrameDecoder.Decode(Encoding.UTF8.GetBytes(l), Codec)).ToList();
        Assert.Equal(15, decoded.Count);
        Assert.All(decoded.Where(f => f.Type != WatchEventType.Bookmark), f => Assert.False(string.IsNullOrEmpty(f.Object!.Metadata.Name)));
        Assert.Equal(new[] { "309", "309" }, decoded.Where(f => f.Type == WatchEventType.Bookmark).Select(f => f.ResourceVersion));
        Assert.Equal("no-privileged", decoded[10].Object!.Metadata.Name);   // CR keys come alphabetically: "object" member order does not matter
    }

    [Fact]
    public void The_recorded_410_error_becomes_a_gone_exception()
    {
        var line = TranscriptFrames.Of("watch-03-410-gone-after-compaction.txt", 5).Single();
        var frame = WatchFrameDecoder.Decode(Encoding.UTF8.GetBytes(line), Codec);
        Assert.Equal(WatchEventType.Error, frame.Type);
        Assert.True(frame.Error!.IsGone);
        Assert.Equal("Expired", frame.Error.Reason);
        Assert.Equal("too old resource version: 258 (342)", frame.Error.Message);
    }

    [Fact]
    public void Object_before_type_is_accepted()
    {
        var frame = WatchFrameDecoder.Decode(Encoding.UTF8.GetBytes(
            "{\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"7\"}},\"type\":\"DELETED\"}"), Codec);
        Assert.Equal((WatchEventType.Deleted, "a", "7"), (frame.Type, frame.Object!.Metadata.Name, frame.ResourceVersion));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"type\":\"ADDED\"}", "no \"object\"")]
    [InlineData("{\"object\":{}}", "no \"type\"")]
    [InlineData("{\"type\":\"RENAMED\",\"object\":{}}", "unknown \"type\"")]
    [InlineData("{\"type\":\"ADDED\",\"object\":\"x\"}", "not a JSON object")]
    [InlineData("{\"type\":\"ADDED\",\"object\":{\"metadata\":5}}", "could not be decoded")]
    public void Bad_frames_are_protocol_errors_that_name_the_problem(string line, string expected)
    {
        var error = Assert.Throws<WatchProtocolException>(() => Decode(line));
        Assert.Contains(expected, error.Message);
    }
}
