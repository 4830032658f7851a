using SecurityOperator.Yaml;
using static SecurityOperator.Tests.Yaml.YamlTestHelpers;

namespace SecurityOperator.Tests.Yaml;

public class YamlErrorTests
{
    [Theory]
    [InlineData("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate mapping key \"a\" (first defined at line 1)")]
    [InlineData("a:\n  x: 1\n  \"x\": 2\n", 3, 3, "duplicate mapping key \"x\"")]
    [InlineData("a: {k: 1, k: 2}\n", 1, 11, "duplicate mapping key \"k\"")]
    [InlineData("1: a\n\"1\": b\n", 2, 1, "duplicate mapping key \"1\"")]
    [InlineData("a:\n\tb: 1\n", 2, 2, "tab characters must not be used for indentation")]
    [InlineData("a: 1\n  b: 2\n", 2, 4, "mapping values are not allowed here")]
    [InlineData("a:\n  b: 1\n c: 2\n", 3, 2, "unexpected indentation")]
    [InlineData("a:\n  - x\n  y: 1\n", 3, 3, "unexpected indentation")]
    [InlineData("- x\ny: 1\n", 2, 1, "unexpected content after the end of the document's root node")]
    [InlineData("a: b: c\n", 1, 4, "a mapping cannot start on the same line")]
    [InlineData("a: - b\n", 1, 4, "a block sequence cannot start on the same line")]
    [InlineData("a: \"open\n", 1, 4, "unterminated double-quoted string")]
    [InlineData("a: 'open\n", 1, 4, "unterminated single-quoted string")]
    [InlineData("a: [1, 2\n", 2, 1, "unterminated flow collection")]
    [InlineData("a: [1, \"q\" 2]\n", 1, 12, "expected ',' or ']'")]
    [InlineData("a: [1, 2\nb: 3\n", 2, 2, "a missing ']'")]
    [InlineData("a: {x: '1' z}\n", 1, 12, "expected ',' or '}'")]
    [InlineData("a: \"\\q\"\n", 1, 5, "unknown escape '\\q'")]
    [InlineData("a: \"\\uD800\"\n", 1, 5, "high surrogate")]
    [InlineData("a: \"\\u12\"\n", 1, 5, "exactly 4 hexadecimal digits")]
    [InlineData("a: *nope\n", 1, 4, "unknown anchor 'nope'")]
    [InlineData("a: &x [*x]\n", 1, 8, "unknown anchor 'x'")]
    [InlineData("? a\n: b\n", 1, 1, "explicit mapping keys")]
    [InlineData("a: \"x\" y\n", 1, 8, "unexpected 'y' after a complete value")]
    [InlineData("a: |0\n  x\n", 1, 5, "indentation indicator must be 1-9")]
    [InlineData("a: | x\n", 1, 6, "unexpected text after a block scalar header")]
    [InlineData("a: @x\n", 1, 4, "'@' is reserved")]
    [InlineData("%TAG ! tag:x,2000:\n---\na: 1\n", 1, 1, "%TAG directives are not supported")]
    [InlineData("b: 1\n<<: 5\n", 2, 5, "a merge key '<<' needs a mapping")]
    [InlineData("a: [x: 1]\n", 1, 6, "single-pair mapping")]
    [InlineData("[a]: 1\n", 1, 4, "unexpected ':'")]
    [InlineData("a: !!map x\n", 1, 4, "tag '!!map' does not fit")]
    [InlineData("a: x\n- b\n", 2, 1, "a sequence item ('- ') where a mapping key was expected")]
    public void Errors_name_source_line_column_and_problem(string yaml, int line, int column, string problem)
    {
        YamlException error = Fails(yaml);
        Assert.Contains(problem, error.Problem);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal("bad.yaml", error.Source);
        Assert.Equal($"bad.yaml:{line}:{column}: {error.Problem}", error.Message);
    }

    [Fact]
    public void Billion_laughs_stops_at_the_output_cap()
    {
        var yaml = new System.Text.StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++)
        {
            string previous = ((char)(c - 1)).ToString();
            yaml.Append(c).Append(": &").Append(c).Append(" [").Append(string.Join(",", Enumerable.Repeat("*" + previous, 9))).Append("]\n");
        }

        YamlException error = Fails(yaml.ToString(), YamlLimits.Default with { MaxOutputBytes = 1024 * 1024 });
        Assert.Contains("expands to more than 1048576 bytes", error.Problem);
    }

    [Fact]
    public void Depth_limit_applies_to_parsing_and_to_alias_expansion()
    {
        string deep = new string('[', 300) + new string(']', 300);
        Assert.Contains("nested deeper than 256 levels", Fails("a: " + deep + "\n").Problem);

        var limits = YamlLimits.Default with { MaxDepth = 4 };
        Assert.Equal(1, Assert.Single(YamlToJson.ConvertAll("a: [[[1]]]\n", "ok.yaml", limits)).ItemLines.Length + 1);
        YamlException viaAlias = Fails("a: &a [[[1]]]\nb: [[[*a]]]\n", limits);
        Assert.Contains("after alias expansion", viaAlias.Problem);
    }

    [Fact]
    public void Input_size_limit()
    {
        YamlException error = Fails("a: 12345\n", YamlLimits.Default with { MaxInputChars = 5 });
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("more than the limit of 5", error.Problem);
    }
}

public class YamlErrorRecoveryTests
{
    [Fact]
    public void Collecting_errors_keeps_good_documents_and_reports_each_broken_one()
    {
        const string yaml = "a: 1\n---\nb: [\n---\nc: 3\n---\nd: 1\nd: 2\n---\ne: 5\n";
        YamlStreamResult result = YamlToJson.ConvertAllCollectingErrors(yaml, "s.yaml");
        Assert.Equal(["{\"a\":1}", "{\"c\":3}", "{\"e\":5}"], result.Documents.Select(d => System.Text.Encoding.UTF8.GetString(d.Json)));
        Assert.Equal([4, 8], result.Errors.Select(e => e.Line));
        Assert.Contains("document marker inside a flow collection", result.Errors[0].Problem);
        Assert.Contains("duplicate mapping key \"d\"", result.Errors[1].Problem);

        YamlException first = Assert.Throws<YamlException>(() => YamlToJson.ConvertAll(yaml, "s.yaml"));
        Assert.Equal(4, first.Line);
    }

    [Fact]
    public void Recovery_always_makes_progress()
    {
        YamlStreamResult result = YamlToJson.ConvertAllCollectingErrors("--- a: b\n--- [\n---\nok: 1\n", "r.yaml");
        Assert.Equal([1, 3], result.Errors.Select(e => e.Line));
        Assert.Equal("{\"ok\":1}", System.Text.Encoding.UTF8.GetString(Assert.Single(result.Documents).Json));
    }
}
