using System.Text;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Tests.Support;
using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Documentation;

/// <summary>The README's "every condition" example is real: it names every condition the compiler knows, and a rule
/// made of it compiles.</summary>
public class ReadmePolicyExampleTests
{
    [Fact]
    public void The_readme_example_lists_every_condition_and_compiles()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var start = readme.IndexOf("Every condition, as written in a rule", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README lost its condition example");
        var block = readme[(readme.IndexOf("```yaml\n", start, StringComparison.Ordinal) + 8)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];

        foreach (var key in ConditionKeys.All) Assert.Contains($"- {key}:", block);

        var rule = "apiVersion: security.io/v1\nkind: ClusterSecurityPolicy\nmetadata: {name: readme}\nspec:\n  rules:\n  - name: all\n    actions: [deny]\n"
                   + string.Concat(block.Split('\n').Select(line => "    " + line + "\n"));
        var json = Assert.Single(YamlToJson.ConvertAll(rule, "README.md")).Json;
        var compilation = PolicyCompiler.Compile(json);
        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Errors));
        Assert.Equal(ConditionKeys.All.Count, compilation.Policy!.Rules[0].Conditions.Count);
    }
}
