using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting.CommandLine;

/// <summary>Repeatable flags (none in the table yet; the audit role's --policy will be one), through a custom table.</summary>
public class ListFlagTests
{
    private static readonly FlagDefinition Policy = new("policy", FlagKind.List, "", "Policy files or directories.", [Flags.Audit],
        value => value.Length == 0 ? "must not be empty" : null);

    private static readonly FlagDefinition[] Table = [Flags.Role, Flags.LogLevel, Flags.Help, Flags.Version, Policy];

    private static OperatorOptions Parse(string[] args, Func<string, string?>? environment = null) =>
        CommandLineParser.Parse(args, environment ?? (_ => null), Table);

    [Fact]
    public void Each_occurrence_adds_a_value_in_order()
    {
        var options = Parse(["--role", "audit", "--policy", "a.yaml", "--policy=dir/", "--policy", "a.yaml"]);
        Assert.Equal(new[] { "a.yaml", "dir/", "a.yaml" }, options.GetList(Policy));
    }

    [Fact]
    public void An_absent_list_is_empty() => Assert.Empty(Parse(["--role", "audit"]).GetList(Policy));

    [Fact]
    public void The_environment_gives_one_value_when_the_flag_is_absent()
    {
        Func<string, string?> env = name => name == "SECURITY_OPERATOR_POLICY" ? "from-env.yaml" : null;
        Assert.Equal(new[] { "from-env.yaml" }, Parse(["--role", "audit"], env).GetList(Policy));
        Assert.Equal(new[] { "flag.yaml" }, Parse(["--role", "audit", "--policy", "flag.yaml"], env).GetList(Policy));
    }

    [Fact]
    public void Each_value_is_validated() =>
        Assert.Equal("invalid value '' for --policy: must not be empty",
            Assert.Throws<UsageException>(() => Parse(["--role", "audit", "--policy", "a.yaml", "--policy="])).Message);

    [Fact]
    public void A_list_flag_of_another_role_is_refused() =>
        Assert.Equal("flag --policy does not apply to --role webhook (it is for audit)",
            Assert.Throws<UsageException>(() => Parse(["--role", "webhook", "--policy", "a.yaml"])).Message);

    [Fact]
    public void Flags_missing_from_the_table_are_unknown() =>
        Assert.Equal("unknown flag --metrics-address",
            Assert.Throws<UsageException>(() => Parse(["--role", "audit", "--metrics-address", ":1"])).Message);
}
