using SecurityOperator.Kube.Client;

namespace SecurityOperator.Tests.Kube.Client;

public sealed class WarningHeaderTests
{
    [Fact]
    public void Parses_the_apiserver_form_with_escaped_quotes()
    {
        Assert.Equal(["unknown field \"spec.containers[0].imagePullPolicyy\""],
            WarningHeader.Parse("299 - \"unknown field \\\"spec.containers[0].imagePullPolicyy\\\"\""));
    }

    [Fact]
    public void Parses_several_values_and_skips_dates_and_other_codes()
    {
        var value = "299 - \"first, with a comma\" \"Sat, 22 Nov 2026 11:00:00 GMT\", 199 agent \"misc\", 299 - \"second\"";
        Assert.Equal(["first, with a comma", "second"], WarningHeader.Parse(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("299")]
    [InlineData("299 - no quotes")]
    [InlineData("299 - \"unterminated")]
    public void Malformed_values_yield_nothing(string value) => Assert.Empty(WarningHeader.Parse(value));
}
