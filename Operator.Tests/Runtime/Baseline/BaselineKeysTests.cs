using System.Text;
using SecurityOperator.Runtime.Baseline;

namespace SecurityOperator.Tests.Runtime.Baseline;

public sealed class BaselineKeysTests
{
    [Theory]
    [InlineData("/usr/lib/python3/os.py", 3, "/usr/lib/python3")]
    [InlineData("/usr/lib/python3/encodings/utf_8.py", 3, "/usr/lib/python3")]
    [InlineData("/etc/passwd", 3, "/etc")]
    [InlineData("/x", 3, "/")]
    [InlineData("/proc/4242/status", 3, "/proc/#")]
    [InlineData("/proc/4242/task/17/stat", 5, "/proc/#/task/#")]
    [InlineData("//etc//./ssl/certs/ca.pem", 2, "/etc/ssl")]
    [InlineData("/app/data/a/b/c.txt", 1, "/app")]
    public void Path_prefix_keeps_the_directory_to_the_depth_with_numbers_folded(string path, int depth, string expected)
    {
        Span<byte> prefix = stackalloc byte[BaselineKeys.MaxPrefixBytes];
        var length = BaselineKeys.PathPrefix(Encoding.UTF8.GetBytes(path), depth, prefix);
        Assert.Equal(expected, Encoding.UTF8.GetString(prefix[..length]));
    }

    [Fact]
    public void A_relative_path_has_no_prefix()
    {
        Span<byte> prefix = stackalloc byte[BaselineKeys.MaxPrefixBytes];
        Assert.Equal(0, BaselineKeys.PathPrefix("etc/passwd"u8, 3, prefix));
    }

    [Theory]
    [InlineData("10.0.3.77", 443, "10.0.3.0/24:443")]
    [InlineData("fd00:1:2:3:4:5:6:7", 8080, "[fd00:1:2:3::]/64:8080")]
    public void Destinations_are_a_subnet_and_port_whose_stored_text_hashes_like_the_event(string address, int port, string text)
    {
        var connect = SyntheticEvents.Connect(address, (ushort)port, TimeSpan.Zero).Connect;
        var hash = BaselineKeys.Destination(connect, out var subnet);

        Assert.Equal(text, BaselineKeys.DestinationText(connect));
        Assert.True(BaselineKeys.TryParseDestination(text, out var parsed));
        Assert.Equal(hash, BaselineKeys.Destination(parsed, out var parsedSubnet));
        Assert.Equal(subnet, parsedSubnet);
        var otherPort = SyntheticEvents.Connect(address, (ushort)(port + 1), TimeSpan.Zero).Connect;
        Assert.NotEqual(hash, BaselineKeys.Destination(otherPort, out var sameSubnet));
        Assert.Equal(subnet, sameSubnet);
    }

    [Theory]
    [InlineData("10.0.3.0/24")]
    [InlineData("nonsense:443")]
    [InlineData("10.0.3.0/24:99999")]
    public void Unreadable_stored_destinations_are_refused(string text) =>
        Assert.False(BaselineKeys.TryParseDestination(text, out _));

    [Fact]
    public void Executable_hash_of_stored_text_equals_hash_of_event_bytes() =>
        Assert.Equal(BaselineKeys.Hash(BaselineKind.Executable, "/usr/bin/curl"u8), BaselineKeys.Hash(BaselineKind.Executable, "/usr/bin/curl"));
}
