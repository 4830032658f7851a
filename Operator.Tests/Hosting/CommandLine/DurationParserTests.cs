using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting.CommandLine;

public class DurationParserTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1h30m15s250ms", 5_415_250)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("0.5s", 500)]
    [InlineData("90m", 5_400_000)]
    [InlineData("1m1m", 120_000)]
    public void Valid(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DurationParser.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("5")]
    [InlineData("00")]
    [InlineData("s")]
    [InlineData("h1")]
    [InlineData("-5s")]
    [InlineData("+5s")]
    [InlineData("5 s")]
    [InlineData(" 5s")]
    [InlineData("5S")]
    [InlineData("1d")]
    [InlineData("1.2.3s")]
    [InlineData(".s")]
    [InlineData("5sec")]
    [InlineData("1h30")]
    [InlineData("99999999999h")]
    public void Invalid(string text)
    {
        Assert.False(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
    }

    [Fact]
    public void Parse_names_the_text_and_the_expected_form() =>
        Assert.Equal("'5x' is not a duration such as 30s, 5m or 1h30m",
            Assert.Throws<FormatException>(() => DurationParser.Parse("5x")).Message);
}
