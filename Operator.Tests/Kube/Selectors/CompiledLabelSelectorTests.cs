using SecurityOperator.Kube.Selectors;

using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Selectors;

public class CompiledLabelSelectorTests
{
    private static CompiledLabelSelector Compile(LabelSelector selector)
    {
        var errors = new List<string>();
        var compiled = CompiledLabelSelector.Compile(selector, "sel", errors);
        Assert.Empty(errors);
        return compiled!;
    }

    private static Dictionary<string, string> L(params (string K, string V)[] labels) => labels.ToDictionary(l => l.K, l => l.V);

    [Fact]
    public void EmptySelectorMatchesEverything()
    {
        var selector = Compile(new LabelSelector());
        Assert.True(selector.Matches(null));
        Assert.True(selector.Matches(L(("a", "b"))));
    }

    [Fact]
    public void MatchLabelsAndExpressionsAreAnded()
    {
        var selector = Compile(new LabelSelector
        {
            MatchLabels = new() { ["environment"] = "production" },
            MatchExpressions = [new() { Key = "tier", Operator = "In", Values = ["frontend", "backend"] }],
        });
        Assert.True(selector.Matches(L(("environment", "production"), ("tier", "backend"))));
        Assert.False(selector.Matches(L(("environment", "production"), ("tier", "db"))));
        Assert.False(selector.Matches(L(("environment", "staging"), ("tier", "backend"))));
        Assert.False(selector.Matches(L(("environment", "production"))));
    }

    [Fact]
    public void NotInHoldsWhenKeyAbsent_ExistsAndDoesNotExist()
    {
        var notIn = Compile(new LabelSelector { MatchExpressions = [new() { Key = "tier", Operator = "NotIn", Values = ["db"] }] });
        Assert.True(notIn.Matches(L()));
        Assert.True(notIn.Matches(L(("tier", "web"))));
        Assert.False(notIn.Matches(L(("tier", "db"))));
        var exists = Compile(new LabelSelector { MatchExpressions = [new() { Key = "team", Operator = "Exists" }] });
        Assert.True(exists.Matches(L(("team", ""))));
        Assert.False(exists.Matches(L()));
        var absent = Compile(new LabelSelector { MatchExpressions = [new() { Key = "team", Operator = "DoesNotExist" }] });
        Assert.False(absent.Matches(L(("team", "x"))));
        Assert.True(absent.Matches(L()));
    }

    [Fact]
    public void InvalidSelectorsReportEveryErrorWithItsPath()
    {
        var errors = new List<string>();
        var compiled = CompiledLabelSelector.Compile(new LabelSelector
        {
            MatchLabels = new() { ["bad key!"] = "v" },
            MatchExpressions =
            [
                new() { Key = "a", Operator = "Gt", Values = ["1"] },
                new() { Key = "b", Operator = "In" },
                new() { Key = "c", Operator = "Exists", Values = ["x"] },
            ],
        }, "spec.targets.podSelector", errors);
        Assert.Null(compiled);
        Assert.Contains(errors, e => e.StartsWith("spec.targets.podSelector.matchLabels: key \"bad key!\""));
        Assert.Contains("spec.targets.podSelector.matchExpressions[0].operator: \"Gt\" is not one of In, NotIn, Exists, DoesNotExist", errors);
        Assert.Contains("spec.targets.podSelector.matchExpressions[1].values: must be specified when operator is In or NotIn", errors);
        Assert.Contains("spec.targets.podSelector.matchExpressions[2].values: may not be specified when operator is Exists or DoesNotExist", errors);
    }

    [Theory]
    [InlineData("app", true)]
    [InlineData("app.kubernetes.io/name", true)]
    [InlineData("Example.com/name", false)]
    [InlineData("/name", false)]
    [InlineData("-app", false)]
    public void KeySyntax(string key, bool valid) => Assert.Equal(valid, LabelSyntax.KeyError(key) is null);
}
