using SecurityOperator.Policy.PodSecurity;

namespace SecurityOperator.Tests.Policy.PodSecurity;

/// <summary>
/// Runs every row of the conformance corpus (Fixtures/, see its README) against the evaluator. The only file of the
/// corpus that touches the evaluator, so the corpus compiles and is sanity-checked without it.
/// </summary>
public sealed class PodSecurityConformanceTests
{
    public static IEnumerable<object[]> Rows() => PodSecurityCorpus.Default.Rows.Select(r => new object[] { r.Key });

    [Theory]
    [MemberData(nameof(Rows))]
    public void Failed_checks_are_exactly_the_expected_ones(string key)
    {
        var row = PodSecurityCorpus.Default.RowsByKey[key];
        var level = row.Level switch
        {
            "privileged" => PodSecurityLevel.Privileged,
            "baseline" => PodSecurityLevel.Baseline,
            _ => PodSecurityLevel.Restricted,
        };
        Assert.True(PodSecurityVersion.TryParse(row.Version, out var version), $"{key}: version '{row.Version}' was rejected");

        var expected = row.ExpectedFailures.Order(StringComparer.Ordinal).ToList();
        var actual = PodSecurityStandard.FailedChecks(row.PodJson, level, version).Order(StringComparer.Ordinal).ToList();

        Assert.True(expected.SequenceEqual(actual),
            $"{key} ({row.What}): expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]; why: {row.Why}");
    }

    [Theory]
    [InlineData("v1.0", 0)]
    [InlineData("v1.25", 25)]
    [InlineData("v1.99", 99)]
    public void Versions_parse_as_upstream_does(string text, int minor)
    {
        Assert.True(PodSecurityVersion.TryParse(text, out var version));
        Assert.Equal(new PodSecurityVersion(1, minor), version);
    }

    [Fact]
    public void Latest_parses_to_latest()
    {
        Assert.True(PodSecurityVersion.TryParse("latest", out var version));
        Assert.Equal(PodSecurityVersion.Latest, version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.25")]
    [InlineData("v1.025")]
    [InlineData("v2.0")]
    [InlineData("Latest")]
    public void Malformed_versions_are_rejected(string text) => Assert.False(PodSecurityVersion.TryParse(text, out _));
}
