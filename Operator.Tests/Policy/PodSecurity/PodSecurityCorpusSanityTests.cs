namespace SecurityOperator.Tests.Policy.PodSecurity;

/// <summary>
/// Checks the conformance corpus itself (not the evaluator): every expectation is possible under the check table,
/// and every check has passing and failing rows in every revision range, so a missing or mistyped case shows up
/// here rather than as a silently thinner conformance run.
/// </summary>
public sealed class PodSecurityCorpusSanityTests
{
    private static readonly string[] Levels = ["privileged", "baseline", "restricted"];

    private readonly PodSecurityCorpus _corpus = PodSecurityCorpus.Default;

    [Fact]
    public void Corpus_has_rows_for_every_level_and_latest()
    {
        Assert.All(Levels, level => Assert.Contains(_corpus.Rows, r => r.Level == level));
        Assert.Contains(_corpus.Rows, r => r.Version == "latest");
    }

    [Fact]
    public void Every_expected_failure_is_a_check_that_can_fail_at_that_level_and_version()
    {
        var checks = _corpus.Checks.ToDictionary(c => c.Id);
        var problems = new List<string>();
        foreach (var row in _corpus.Rows)
        {
            if (!Levels.Contains(row.Level))
            {
                problems.Add($"{row.Key}: unknown level '{row.Level}'");
                continue;
            }

            var minor = Resolve(row.Version);
            if (row.ExpectedFailures.Distinct().Count() != row.ExpectedFailures.Count)
            {
                problems.Add($"{row.Key}: a check is listed twice");
            }

            foreach (var id in row.ExpectedFailures)
            {
                if (!checks.TryGetValue(id, out var check))
                {
                    problems.Add($"{row.Key}: '{id}' is not a known check id");
                }
                else if (row.Level == "privileged")
                {
                    problems.Add($"{row.Key}: privileged evaluates nothing, yet '{id}' is expected to fail");
                }
                else if (row.Level == "baseline" && check.Level == "restricted")
                {
                    problems.Add($"{row.Key}: '{id}' is a restricted check and cannot fail at baseline");
                }
                else if (minor < check.RevisionMinors[0])
                {
                    problems.Add($"{row.Key}: '{id}' starts at v1.{check.RevisionMinors[0]}");
                }
                else if (row.Level == "restricted" && IsOverridden(id, minor))
                {
                    problems.Add($"{row.Key}: '{id}' is replaced by a restricted check at this version");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_case_file_names_a_known_check_and_every_check_has_a_case_file()
    {
        var ids = _corpus.Checks.Select(c => c.Id).ToHashSet();
        Assert.All(_corpus.CaseFileChecks.Where(c => c.Length > 0), c => Assert.Contains(c, ids));
        Assert.All(ids, id => Assert.Contains(id, _corpus.CaseFileChecks));
    }

    [Fact]
    public void Every_check_has_a_passing_and_a_failing_row_in_every_revision_range()
    {
        var problems = new List<string>();
        foreach (var check in _corpus.Checks)
        {
            var own = _corpus.Rows
                .Where(r => r.CheckUnderTest == check.Id && r.Level != "privileged" && (r.Level == "restricted" || check.Level == "baseline"))
                .ToList();
            for (var i = 0; i < check.RevisionMinors.Count; i++)
            {
                var from = check.RevisionMinors[i];
                var until = i + 1 < check.RevisionMinors.Count ? check.RevisionMinors[i + 1] : int.MaxValue;
                var inRange = own.Where(r => Resolve(r.Version) >= from && Resolve(r.Version) < until).ToList();
                if (!inRange.Any(r => r.ExpectedFailures.Contains(check.Id)))
                {
                    problems.Add($"{check.Id}: no failing row for the revision starting at v1.{from}");
                }

                if (!inRange.Any(r => !r.ExpectedFailures.Contains(check.Id)))
                {
                    problems.Add($"{check.Id}: no passing row for the revision starting at v1.{from}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_row_says_why_and_every_case_says_what()
    {
        Assert.All(_corpus.Rows, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Why), r.Key);
            Assert.False(string.IsNullOrWhiteSpace(r.What), r.Key);
        });
    }

    [Fact]
    public void Sources_are_upstream_or_marked_secondary()
    {
        Assert.All(_corpus.Rows, r => Assert.Contains(r.Source, new[] { "upstream", "secondary" }));
    }

    [Fact]
    public void Pods_are_json_objects_of_kind_pod()
    {
        Assert.All(_corpus.Rows, r =>
        {
            var pod = System.Text.Json.Nodes.JsonNode.Parse(r.PodJson)!.AsObject();
            Assert.Equal("Pod", (string?)pod["kind"]);
            Assert.NotNull(pod["spec"]?["containers"]);
        });
    }

    [Fact]
    public void Check_table_matches_the_spec_inventory()
    {
        var spec = SpecInventory();
        Assert.Equal(
            spec.Select(c => $"{c.Id} {c.Level} [{string.Join(",", c.RevisionMinors)}] [{string.Join(",", c.Overrides.Select(o => o.Check))}]"),
            _corpus.Checks.Select(c => $"{c.Id} {c.Level} [{string.Join(",", c.RevisionMinors)}] [{string.Join(",", c.Overrides.Select(o => o.Check))}]"));
    }

    [Theory]
    [InlineData("latest", null)]
    [InlineData("v1.0", 0)]
    [InlineData("v1.35", 35)]
    public void Corpus_versions_parse(string text, int? minor) => Assert.Equal(minor, PodSecurityCorpus.ParseVersion(text));

    [Theory]
    [InlineData("1.25")]
    [InlineData("v1.025")]
    [InlineData("v2.0")]
    [InlineData("v1.")]
    public void Corpus_rejects_malformed_versions(string text)
    {
        var error = Assert.Throws<FormatException>(() => PodSecurityCorpus.ParseVersion(text));
        Assert.Contains(text, error.Message);
    }

    /// <summary>Rows of the inventory table in docs/pod-security-standards.md section 3:
    /// | `id` | level | 1.0, 1.19 | `overridden` (from 1.19) |</summary>
    private static List<PodSecurityCorpusCheck> SpecInventory()
    {
        var specPath = Path.Combine(PodSecurityCorpus.FindFixturesDirectory(), "..", "..", "..", "..", "docs", "pod-security-standards.md");
        var rows = File.ReadAllLines(specPath)
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^\| `(\w+)` \| (baseline|restricted) \| ([^|]*)\|([^|]*)\|$"))
            .Where(m => m.Success)
            .Select(m => new PodSecurityCorpusCheck(
                m.Groups[1].Value,
                m.Groups[2].Value,
                System.Text.RegularExpressions.Regex.Matches(m.Groups[3].Value, @"1\.(\d+)").Select(v => int.Parse(v.Groups[1].Value)).ToList(),
                System.Text.RegularExpressions.Regex.Matches(m.Groups[4].Value, "`(\\w+)`").Select(o => (o.Groups[1].Value, 0)).ToList()))
            .ToList();
        Assert.True(rows.Count > 0, $"no inventory rows found in {specPath}");
        return rows;
    }

    private int Resolve(string version) => Math.Min(PodSecurityCorpus.ParseVersion(version) ?? _corpus.MaxMinor, _corpus.MaxMinor);

    private bool IsOverridden(string id, int minor) =>
        _corpus.Checks.Any(c => c.RevisionMinors[0] <= minor && c.Overrides.Any(o => o.Check == id && o.FromMinor <= minor));
}
