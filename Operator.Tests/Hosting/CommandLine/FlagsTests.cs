using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Tests.Hosting.CommandLine;

/// <summary>Invariants of the flag table that every part adding a flag must keep.</summary>
public class FlagsTests
{
    public static TheoryData<string> FlagNames() => Names(Flags.All);

    public static TheoryData<string> FlagsWithDefaults() => Names(Flags.All.Where(f => f.Default is not null));

    private static TheoryData<string> Names(IEnumerable<FlagDefinition> flags)
    {
        var data = new TheoryData<string>();
        foreach (var flag in flags) data.Add(flag.Name);
        return data;
    }

    [Fact]
    public void Names_and_environment_variables_are_unique()
    {
        Assert.Equal(Flags.All.Count, Flags.All.Select(f => f.Name).Distinct().Count());
        Assert.Equal(Flags.All.Count, Flags.All.Select(f => f.EnvironmentVariable).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(FlagsWithDefaults))]
    public void Every_default_passes_its_own_validator(string name)
    {
        var flag = Flags.Find(name)!;
        Assert.Null(flag.Validate?.Invoke(flag.Default!));
        if (flag.Kind == FlagKind.Switch) Assert.False(FlagValidators.ParseBoolean(flag.Default!)); // a switch is off unless given
    }

    [Fact]
    public void Only_the_role_is_required() =>
        Assert.Equal(new[] { "role" }, Flags.All.Where(f => f.Default is null && f.Kind != FlagKind.List).Select(f => f.Name).ToArray());

    [Fact]
    public void Repeatable_flags_without_a_default_are_not_shown_as_required()
    {
        var help = HelpText.Render();
        Assert.Contains("(default none; repeatable; env SECURITY_OPERATOR_POLICY; roles: audit, webhook)", help);
    }

    [Theory]
    [MemberData(nameof(FlagNames))]
    public void Every_flag_is_lower_case_words_with_dashes_and_has_help(string name)
    {
        Assert.Matches("^[a-z]+(-[a-z]+)*$", name);
        Assert.False(string.IsNullOrWhiteSpace(Flags.Find(name)!.Help));
        Assert.All(Flags.Find(name)!.Roles, role => Assert.Contains(role, Flags.AllRoles));
    }

    [Fact]
    public void Find_returns_null_for_an_unknown_name()
    {
        Assert.Same(Flags.LogLevel, Flags.Find("log-level"));
        Assert.Null(Flags.Find("--log-level"));
        Assert.Null(Flags.Find("nope"));
    }

    [Fact]
    public void A_flag_without_roles_applies_to_every_role_and_one_with_roles_only_to_those()
    {
        Assert.All(Flags.AllRoles, role => Assert.True(Flags.LogLevel.AppliesTo(role)));
        Assert.True(Flags.MetricsAddress.AppliesTo(Flags.Webhook));
        Assert.False(Flags.MetricsAddress.AppliesTo(Flags.Audit));
    }
}
