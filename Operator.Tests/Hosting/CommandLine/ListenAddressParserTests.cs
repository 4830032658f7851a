using System.Net;
using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting.CommandLine;

public class ListenAddressParserTests
{
    [Theory]
    [InlineData(":8080", "::", 8080)]
    [InlineData(":0", "::", 0)]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("0.0.0.0:9090", "0.0.0.0", 9090)]
    [InlineData("localhost:1", "127.0.0.1", 1)]
    [InlineData("[::1]:8443", "::1", 8443)]
    [InlineData("[::]:65535", "::", 65535)]
    [InlineData("[fd00::10]:80", "fd00::10", 80)]
    [InlineData("10.1.2.3:0", "10.1.2.3", 0)]
    public void Valid(string text, string address, int port)
    {
        Assert.True(ListenAddressParser.TryParse(text, out var endpoint, out var error));
        Assert.Null(error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint);
        Assert.Equal(endpoint, ListenAddressParser.Parse(text));
    }

    [Theory]
    [InlineData("", "must be HOST:PORT or :PORT")]
    [InlineData("8080", "must be HOST:PORT or :PORT")]
    [InlineData("localhost", "must be HOST:PORT or :PORT")]
    [InlineData(":", "port must be a number from 0 to 65535")]
    [InlineData(":65536", "port must be a number from 0 to 65535")]
    [InlineData("host:99999", "port must be a number from 0 to 65535")]
    [InlineData(":99999999999", "port must be a number from 0 to 65535")]
    [InlineData(":+80", "port must be a number from 0 to 65535")]
    [InlineData(": 80", "port must be a number from 0 to 65535")]
    [InlineData("[::1]", "port must be a number from 0 to 65535")]
    [InlineData("example.com:80", "host 'example.com' is not an IP address (write IPv6 as [::1])")]
    [InlineData("::1:80", "host '::1' is not an IP address (write IPv6 as [::1])")]
    [InlineData("[::1:80", "host '[::1' is not an IP address (write IPv6 as [::1])")]
    [InlineData("300.1.1.1:80", "host '300.1.1.1' is not an IP address (write IPv6 as [::1])")]
    public void Invalid(string text, string expectedError)
    {
        Assert.False(ListenAddressParser.TryParse(text, out _, out var error));
        Assert.Equal(expectedError, error);
        Assert.Equal($"'{text}': {expectedError}", Assert.Throws<FormatException>(() => ListenAddressParser.Parse(text)).Message);
    }

    [Theory]
    [InlineData("1:8080")]
    [InlineData("10.1:8080")]
    [InlineData("127.1:8080")]
    [InlineData("0x7f.0.0.1:8080")]
    public void Shorthand_ipv4_forms_are_not_addresses(string text)
    {
        // Go's net.ParseIP (and so every Kubernetes component) accepts only four dotted decimals; IPAddress.TryParse
        // also takes the BSD shorthands ("1" is 0.0.0.1), which would bind somewhere the user did not mean.
        Assert.False(ListenAddressParser.TryParse(text, out _, out var error));
        Assert.StartsWith("host '", error);
    }
}
