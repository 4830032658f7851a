namespace SecurityOperator.Tests.Policy.PodSecurity;

/// <summary>A mistake in a fixture file must stop the load with a message naming the file, the case and the problem.</summary>
public sealed class PodSecurityCorpusLoadTests : IDisposable
{
    private const string Checks = """{"checks":[{"id":"privileged","level":"baseline","revisions":["v1.0"]}]}""";
    private const string Bases = """
        {"bases":[{"name":"b","why":"w","pod":{"kind":"Pod","spec":{"containers":[{"name":"c"}]}}}]}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("pss-corpus-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_valid_case_becomes_one_row_per_version()
    {
        var corpus = Load("""
            {"check":"privileged","cases":[{"name":"p","what":"w","base":"b",
              "set":{"/spec/containers/0/securityContext/privileged":true},
              "expect":[{"level":"baseline","versions":["v1.0","latest"],"fail":["privileged"],"why":"y"}]}]}
            """, "privileged.json");
        Assert.Equal(["privileged:p@baseline/v1.0", "privileged:p@baseline/latest"], corpus.Rows.Select(r => r.Key));
        Assert.Contains("\"privileged\":true", System.Text.Encoding.UTF8.GetString(corpus.Rows[0].PodJson));
    }

    [Fact]
    public void Raw_pods_are_kept_byte_for_byte()
    {
        const string raw = """{"spec":{"containers":[{"name":"c"}]},"kind":"Pod"}""";
        var corpus = Load($$"""
            {"check":"privileged","cases":[{"name":"r","what":"w","rawPod":{{System.Text.Json.JsonSerializer.Serialize(raw)}},
              "expect":[{"level":"baseline","versions":["v1.0"],"fail":[],"why":"y"}]}]}
            """, "privileged.json");
        Assert.Equal(raw, System.Text.Encoding.UTF8.GetString(corpus.Rows[0].PodJson));
    }

    [Theory]
    [InlineData("""{"cases":[{"name":"x","what":"w","base":"nope","expect":[]}]}""", "case 'x': unknown base 'nope'")]
    [InlineData("""{"cases":[{"name":"x","what":"w","base":"b","set":{"/spec/containers/3/name":"n"},"expect":[]}]}""", "case 'x': edit pointer '/spec/containers/3/name'")]
    [InlineData("""{"cases":[{"name":"x","what":"w","base":"b","expect":[{"level":"baseline","versions":["1.25"],"fail":[],"why":"y"}]}]}""", "version '1.25'")]
    [InlineData("""{"cases":[{"name":"x","base":"b","expect":[]}]}""", "case 'x': 'what' must be a non-empty string")]
    [InlineData("""{"cases":[{"name":"x","what":"w","base":"b","rawPod":"{}","expect":[]}]}""", "'rawPod' replaces 'base' and 'set'")]
    [InlineData("""{"cases":[{"name":"x","what":"w","rawPod":"{not json","expect":[]}]}""", "'rawPod' is not valid JSON")]
    [InlineData("""{"cases":[{"name":"x","what":"w","base":"b","expect":[]},{"name":"x","what":"w","base":"b","expect":[]}]}""", "case 'x': name used twice")]
    [InlineData("""{"cases": [""", "invalid JSON")]
    public void Mistakes_name_the_file_the_case_and_the_problem(string caseFile, string problem)
    {
        var error = Assert.Throws<FormatException>(() => Load(caseFile));
        Assert.Contains("broken.json", error.Message);
        Assert.Contains(problem, error.Message);
    }

    private PodSecurityCorpus Load(string caseFile, string fileName = "broken.json")
    {
        File.WriteAllText(Path.Combine(_dir, PodSecurityCorpus.ChecksFile), Checks);
        File.WriteAllText(Path.Combine(_dir, PodSecurityCorpus.BasesFile), Bases);
        File.WriteAllText(Path.Combine(_dir, fileName), caseFile);
        return PodSecurityCorpus.Load(_dir);
    }
}
