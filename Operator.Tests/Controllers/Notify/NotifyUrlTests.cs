using SecurityOperator.Controllers.Notify;
using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Controllers.Notify;

public sealed class NotifyUrlTests
{
    [Theory]
    [InlineData("https://alerts.example.com/hooks/security")]
    [InlineData("http://receiver.monitoring.svc:8080/")]
    [InlineData("")]
    public void Http_and_https_urls_are_accepted_and_empty_means_no_sink(string url) => Assert.Null(NotifyUrl.Validate(url));

    [Theory]
    [InlineData("alerts.example.com/hook", "not an absolute URL")]
    [InlineData("ftp://alerts.example.com/", "scheme \"ftp\" is not supported")]
    [InlineData("file:///etc/passwd", "not an absolute URL")]
    [InlineData("https://user:pw@alerts.example.com/", "must not carry user:password")]
    public void Other_values_are_rejected_with_the_reason(string url, string reason) =>
        Assert.Contains(reason, NotifyUrl.Validate(url), StringComparison.Ordinal);

    [Fact]
    public void The_flags_are_parsed_into_settings_and_a_bad_url_is_a_usage_error()
    {
        var options = CommandLineParser.Parse(["--role", "controller", "--notify-url", "https://alerts.example.com/x", "--notify-token-file", "/t",
            "--notify-timeout", "3s", "--notify-retries", "0", "--notify-queue-size", "7", "--notify-renotify-interval", "0", "--notify-cluster-name", "eu-1"], _ => null);
        var settings = NotifyFlags.Read(options);
        Assert.Equal((new Uri("https://alerts.example.com/x"), "/t", TimeSpan.FromSeconds(3), 0, 7, TimeSpan.Zero, "eu-1"),
            (settings.Url, settings.TokenFile, settings.Timeout, settings.Retries, settings.QueueSize, settings.RenotifyInterval, settings.Cluster));
        var defaults = NotifyFlags.Read(CommandLineParser.Parse(["--role", "controller"], _ => null));
        Assert.Equal((null, null, TimeSpan.FromSeconds(10), 3, 1000, TimeSpan.FromHours(4)),
            (defaults.Url, defaults.TokenFile, defaults.Timeout, defaults.Retries, defaults.QueueSize, defaults.RenotifyInterval));

        var error = Assert.Throws<UsageException>(() => CommandLineParser.Parse(["--role", "controller", "--notify-url", "ftp://x/"], _ => null));
        Assert.Contains("--notify-url", error.Message, StringComparison.Ordinal);
        Assert.Throws<UsageException>(() => CommandLineParser.Parse(["--role", "controller", "--notify-retries", "-1"], _ => null));
        Assert.Throws<UsageException>(() => CommandLineParser.Parse(["--role", "controller", "--notify-timeout", "0s"], _ => null));
    }
}
