using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Logging;

namespace SecurityOperator.Tests.Hosting.Logging;

public class LogLevelsTests
{
    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    public void Names_map_to_levels_and_back(string name, LogLevel level)
    {
        Assert.Equal(level, LogLevels.Parse(name));
        Assert.Equal(name, LogLevels.Name(level));
    }

    [Fact]
    public void An_unknown_name_is_named_in_the_error() =>
        Assert.Equal("unknown log level 'verbose': use debug, info, warn or error",
            Assert.Throws<ArgumentException>(() => LogLevels.Parse("verbose")).Message);

    [Fact]
    public void Every_name_the_flag_accepts_parses()
    {
        foreach (var name in new[] { "debug", "info", "warn", "error" })
        {
            Assert.Null(Flags.LogLevel.Validate!(name));
            _ = LogLevels.Parse(name);
        }
        Assert.NotNull(Flags.LogLevel.Validate!("verbose"));
    }
}
