using System.Text.Json;
using SecurityOperator.Compliance.Cis;

namespace SecurityOperator.Tests.Compliance.Cis;

/// <summary>The comparison operators on flag values, config values and defaults.</summary>
public class SettingComparisonTests
{
    private static ComponentState State(string[] args, string? configJson = null) =>
        new(KubeComponent.Kubelet, true, ComponentFlags.Parse(args, "cmdline"), configJson is null ? null : "/config.yaml",
            configJson is null ? null : JsonDocument.Parse(configJson).RootElement.Clone(), null);

    private static bool Holds(SettingTest test, string[] args, string? config = null) => SettingComparison.Evaluate(test, State(args, config)).Holds;

    [Theory]
    [InlineData("--x=false", CompareOp.Eq, "false", true)]
    [InlineData("--x=False", CompareOp.Eq, "false", true)]
    [InlineData("--x=0s", CompareOp.Eq, "0", true)]
    [InlineData("--x=5m", CompareOp.NotEq, "0", true)]
    [InlineData("--x=0", CompareOp.NotEq, "0", false)]
    [InlineData("--x=30", CompareOp.Gte, "30", true)]
    [InlineData("--x=29", CompareOp.Gte, "30", false)]
    [InlineData("--x=abc", CompareOp.Gte, "30", false)]
    [InlineData("--x=10", CompareOp.Lte, "30", true)]
    [InlineData("--x=Node,RBAC", CompareOp.Has, "RBAC", true)]
    [InlineData("--x=Node, RBAC", CompareOp.Has, "RBAC", true)]
    [InlineData("--x=NodeRBAC", CompareOp.Has, "RBAC", false)]
    [InlineData("--x=Node,RBAC", CompareOp.NotHave, "AlwaysAllow", true)]
    [InlineData("--x=A,B", CompareOp.ValidElements, "A,B,C", true)]
    [InlineData("--x=A,D", CompareOp.ValidElements, "A,B,C", false)]
    [InlineData("--x=", CompareOp.ValidElements, "A,B,C", false)]
    [InlineData("--x=127.0.0.1:10249", CompareOp.StartsWith, "127.0.0.1:", true)]
    [InlineData("--x=0.0.0.0:10249", CompareOp.StartsWith, "127.0.0.1:", false)]
    public void Operators_compare_the_flag_value(string argument, CompareOp op, string value, bool expected) =>
        Assert.Equal(expected, Holds(new SettingTest("x", op, value), [argument]));

    [Fact]
    public void Set_and_not_set_look_only_at_explicit_values_not_defaults()
    {
        Assert.False(Holds(new SettingTest("x", CompareOp.Set, Default: "1"), []));
        Assert.True(Holds(new SettingTest("x", CompareOp.NotSet, Default: "1"), []));
        Assert.True(Holds(new SettingTest("x", CompareOp.Set), ["--x"]));
    }

    [Fact]
    public void Without_a_value_or_default_every_value_comparison_fails()
    {
        foreach (var op in new[] { CompareOp.Eq, CompareOp.NotEq, CompareOp.Gte, CompareOp.Has, CompareOp.NotHave, CompareOp.ValidElements })
            Assert.False(Holds(new SettingTest("x", op, "1"), []), op.ToString());
    }

    [Fact]
    public void Config_values_are_read_by_dotted_path_with_lists_and_maps_in_flag_form()
    {
        const string config = """{"a":{"b":{"c":true}},"list":["X","Y"],"gates":{"G":false,"H":true},"n":10}""";
        Assert.True(Holds(new SettingTest("f", CompareOp.Eq, "true", ConfigPath: "a.b.c"), [], config));
        Assert.True(Holds(new SettingTest("f", CompareOp.ValidElements, "X,Y,Z", ConfigPath: "list"), [], config));
        Assert.False(Holds(new SettingTest("f", CompareOp.NotHave, "G=false", ConfigPath: "gates"), [], config));
        Assert.True(Holds(new SettingTest("f", CompareOp.Gte, "5", ConfigPath: "n"), [], config));
        Assert.False(Holds(new SettingTest("f", CompareOp.Set, ConfigPath: "a.missing"), [], config));
        // The flag wins over the config file.
        Assert.False(Holds(new SettingTest("f", CompareOp.Eq, "true", ConfigPath: "a.b.c"), ["--f=false"], config));
    }

    [Fact]
    public void Flags_are_parsed_as_pflag_reads_them()
    {
        var flags = ComponentFlags.Parse(["--a=1", "--b", "2", "--c", "--d=x=y", "-e", "3", "--a=last", "positional"], "test");
        Assert.Equal("last", flags.Get("a"));
        Assert.Equal("2", flags.Get("b"));
        Assert.Equal("true", flags.Get("c"));
        Assert.Equal("x=y", flags.Get("d"));
        Assert.Equal("3", flags.Get("e"));
        Assert.Null(flags.Get("positional"));
    }
}
