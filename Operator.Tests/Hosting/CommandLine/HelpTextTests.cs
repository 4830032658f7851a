using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting.CommandLine;

public class HelpTextTests
{
    private static readonly string Text = HelpText.Render();

    public static TheoryData<string> FlagNames() => Names(Flags.All);

    public static TheoryData<string> ValueFlagNames() => Names(Flags.All.Where(f => f.Kind != FlagKind.Switch));

    private static TheoryData<string> Names(IEnumerable<FlagDefinition> flags)
    {
        var data = new TheoryData<string>();
        foreach (var flag in flags) data.Add(flag.Name);
        return data;
    }

    /// <summary>The three or so lines --help prints for one flag, from its heading to its details line.</summary>
    private static string[] BlockOf(FlagDefinition flag)
    {
        var lines = Text.Split('\n');
        var head = Array.FindIndex(lines, l => l == $"  --{flag.Name}" || l == $"  --{flag.Name} VALUE");
        Assert.True(head >= 0, $"--{flag.Name} has no heading line in --help");
        return lines[head..(head + 3)];
    }

    [Fact]
    public void Starts_with_the_usage_line_and_lists_the_roles()
    {
        Assert.StartsWith(HelpText.UsageLine + "\n", Text);
        foreach (var role in Flags.AllRoles) Assert.Contains($"\n  {role} ", Text);
    }

    [Theory]
    [MemberData(nameof(FlagNames))]
    public void Every_flag_has_its_help_environment_variable_and_roles(string name)
    {
        var flag = Flags.Find(name)!;
        var block = BlockOf(flag);
        Assert.Equal("      " + flag.Help, block[1]);
        Assert.StartsWith("      (", block[2]);
        Assert.Contains($"env {flag.EnvironmentVariable}", block[2]);
        Assert.Contains(flag.Roles.Length == 0 ? "all roles" : $"roles: {string.Join(", ", flag.Roles)}", block[2]);
    }

    [Theory]
    [MemberData(nameof(ValueFlagNames))]
    public void Every_value_flag_shows_its_default_or_that_it_is_required(string name)
    {
        var flag = Flags.Find(name)!;
        var expected = flag.Default is not null ? $"(default \"{flag.Default}\";" : flag.Kind == FlagKind.List ? "(default none;" : "(required;";
        Assert.Contains(expected, BlockOf(flag)[2]);
    }

    [Fact]
    public void Switches_are_shown_without_a_value()
    {
        Assert.Contains("\n  --help\n", Text);
        Assert.Contains("\n  --version\n", Text);
    }

    [Fact]
    public void The_defaults_users_look_for_are_printed()
    {
        Assert.Contains("  --metrics-address VALUE\n", Text);
        Assert.Contains("(default \":8080\"; env SECURITY_OPERATOR_METRICS_ADDRESS; roles: controller, webhook, node)", Text);
        Assert.Contains("(default \"info\"; env SECURITY_OPERATOR_LOG_LEVEL; all roles)", Text);
        Assert.Contains("(default \"25s\"; env SECURITY_OPERATOR_SHUTDOWN_TIMEOUT; all roles)", Text);
        Assert.Contains("(required; env SECURITY_OPERATOR_ROLE; all roles)", Text);
    }

    [Fact]
    public void A_list_flag_says_it_repeats()
    {
        var policy = new FlagDefinition("policy", FlagKind.List, "", "Policy files.", [Flags.Audit]);
        var text = HelpText.Render([policy]);
        Assert.Contains("  --policy VALUE\n      Policy files.\n      (default \"\"; repeatable; env SECURITY_OPERATOR_POLICY; roles: audit)\n", text);
    }

    [Fact]
    public void The_hint_points_at_help() => Assert.Contains("security-operator --help", HelpText.Hint);
}
