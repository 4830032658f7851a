using System.Net;
using System.Text;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Tests.Policy.Compilation;

public class RuntimePolicyCompilerTests
{
    private static PolicyCompilation Compile(string runtimeRules, string kind = "SecurityPolicy", string mode = "enforce") =>
        PolicyCompiler.Compile(Encoding.UTF8.GetBytes(
            "{\"apiVersion\":\"security.io/v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"rt\"" + (kind == "SecurityPolicy" ? ",\"namespace\":\"shop\"" : "") + "}," +
            "\"spec\":{\"enforcementMode\":\"" + mode + "\",\"runtime\":{\"rules\":" + runtimeRules + "}}}"));

    private static IReadOnlyList<string> Errors(string runtimeRules) => Compile(runtimeRules).Errors;

    [Fact]
    public void A_runtime_only_policy_compiles_every_kind_of_rule_with_its_responses()
    {
        var compilation = Compile("""
            [{"name":"no-curl","description":"no downloaders","executables":["/usr/bin/curl","/usr/bin/wget"],"response":["kill","event"]},
             {"name":"egress","connect":{"denied":[{"cidr":"169.254.169.254"},{"cidr":"10.0.0.0/8","port":22}],"allowed":[{"cidr":"10.0.0.0/8"},{"cidr":"fd00::/8","port":443}]},"response":["block",{"quarantine":{"duration":"1h"}}]},
             {"name":"secrets","sensitivePaths":["/etc/shadow","/var/run/secrets/*"],"response":["log"]}]
            """, kind: "ClusterSecurityPolicy");
        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Errors));
        var policy = compilation.Policy!;
        Assert.Empty(policy.Rules);
        Assert.Equal(3, policy.RuntimeRules.Count);

        var exec = policy.RuntimeRules[0];
        Assert.Equal((0, "no-curl", "no downloaders", RuntimeRuleKind.Executables), (exec.Number, exec.Name, exec.Description, exec.Kind));
        Assert.Equal(["/usr/bin/curl", "/usr/bin/wget"], exec.Executables);
        Assert.Equal(RuntimeResponse.Log | RuntimeResponse.Kill | RuntimeResponse.Event, exec.Responses);

        var connect = policy.RuntimeRules[1];
        Assert.Equal(RuntimeRuleKind.Connect, connect.Kind);
        Assert.Equal([(IPAddress.Parse("169.254.169.254"), 32, (ushort)0), (IPAddress.Parse("10.0.0.0"), 8, (ushort)22)],
            connect.DeniedDestinations.Select(d => (d.Address, d.PrefixBits, d.Port)));
        Assert.Equal([(IPAddress.Parse("10.0.0.0"), 8, (ushort)0), (IPAddress.Parse("fd00::"), 8, (ushort)443)],
            connect.AllowedDestinations!.Select(d => (d.Address, d.PrefixBits, d.Port)));
        Assert.True(connect.Has(RuntimeResponse.Block) && connect.Has(RuntimeResponse.Quarantine));
        Assert.Equal(TimeSpan.FromHours(1), connect.Quarantine!.Duration);

        var open = policy.RuntimeRules[2];
        Assert.Equal(["/etc/shadow", "/var/run/secrets/*"], open.SensitivePaths);
        Assert.Equal(RuntimeResponse.Log, open.Responses);
    }

    [Fact]
    public void A_connect_rule_without_allowed_is_not_an_allow_list()
    {
        var rule = Compile("""[{"name":"m","connect":{"denied":[{"cidr":"169.254.169.254"}]},"response":["event"]}]""").Policy!.RuntimeRules[0];
        Assert.Null(rule.AllowedDestinations);
    }

    [Fact]
    public void An_empty_allowed_list_denies_every_destination()
    {
        var rule = Compile("""[{"name":"none","connect":{"allowed":[]},"response":["block"]}]""").Policy!.RuntimeRules[0];
        Assert.NotNull(rule.AllowedDestinations);
        Assert.Empty(rule.AllowedDestinations!);
    }

    [Theory]
    [InlineData("""[{"name":"a","executables":["usr/bin/curl"],"response":["kill"]}]""", "spec.runtime.rules[0].executables[0]: \"usr/bin/curl\" is not absolute")]
    [InlineData("""[{"name":"a","executables":["/usr/bin/*"],"response":["kill"]}]""", "spec.runtime.rules[0].executables[0]: \"/usr/bin/*\" is a pattern")]
    [InlineData("""[{"name":"a","executables":["/usr/../bin/sh"],"response":["kill"]}]""", "spec.runtime.rules[0].executables[0]: \"/usr/../bin/sh\" is not a normalized path")]
    [InlineData("""[{"name":"a","executables":[],"response":["kill"]}]""", "spec.runtime.rules[0].executables: must be a non-empty list")]
    [InlineData("""[{"name":"a","sensitivePaths":["/etc/shadow"],"response":["kill"]}]""", "spec.runtime.rules[0].response[0]: kill applies to executables rules only")]
    [InlineData("""[{"name":"a","executables":["/bin/sh"],"response":["block"]}]""", "spec.runtime.rules[0].response[0]: block applies to connect rules only")]
    [InlineData("""[{"name":"a","executables":["/bin/sh"],"response":["shout"]}]""", "spec.runtime.rules[0].response[0]: unknown response \"shout\"")]
    [InlineData("""[{"name":"a","executables":["/bin/sh"],"response":[]}]""", "spec.runtime.rules[0].response: must be a non-empty list")]
    [InlineData("""[{"name":"a","executables":["/bin/sh"],"response":[{"quarantine":{"duration":"soon"}}]}]""", "spec.runtime.rules[0].response[0].quarantine.duration")]
    [InlineData("""[{"name":"a","executables":["/bin/sh"],"connect":{"denied":[{"cidr":"1.2.3.4"}]},"response":["log"]}]""", "spec.runtime.rules[0]: must have exactly one of executables, connect, sensitivePaths (found 2)")]
    [InlineData("""[{"name":"a","response":["log"]}]""", "spec.runtime.rules[0]: must have exactly one of executables, connect, sensitivePaths (found 0)")]
    [InlineData("""[{"name":"a","connect":{"denied":[{"cidr":"10.0.0.0/33"}]},"response":["block"]}]""", "spec.runtime.rules[0].connect.denied[0].cidr: \"10.0.0.0/33\" is not an IPv4 or IPv6 address or CIDR")]
    [InlineData("""[{"name":"a","connect":{"denied":[{"cidr":"10.0.0.1","port":70000}]},"response":["block"]}]""", "spec.runtime.rules[0].connect.denied[0].port: 70000 is not a port")]
    [InlineData("""[{"name":"a","connect":{"denied":[{"cidr":"10.0.0.1","proto":"tcp"}]},"response":["block"]}]""", "spec.runtime.rules[0].connect.denied[0].proto: unknown field")]
    [InlineData("""[{"name":"a","connect":{},"response":["block"]}]""", "spec.runtime.rules[0].connect: needs denied (a non-empty list) or allowed")]
    [InlineData("""[{"name":"a","sensitivePaths":["etc/shadow"],"response":["log"]}]""", "spec.runtime.rules[0].sensitivePaths[0]: \"etc/shadow\" is not absolute")]
    [InlineData("""[{"name":"a","sensitivePaths":["/a"],"response":["log"]},{"name":"a","sensitivePaths":["/b"],"response":["log"]}]""", "spec.runtime.rules[1].name: duplicate runtime rule name \"a\"")]
    [InlineData("""[{"sensitivePaths":["/a"],"response":["log"]}]""", "spec.runtime.rules[0].name: required")]
    [InlineData("""[{"name":"a","sensitivePaths":["/a"],"response":["log"],"severity":"high"}]""", "spec.runtime.rules[0].severity: unknown field")]
    [InlineData("""[]""", "spec.runtime.rules: must be a non-empty list of runtime rules")]
    public void Bad_runtime_rules_are_reported_with_their_field_path(string rules, string expected)
    {
        var errors = Errors(rules);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_policy_with_neither_admission_nor_runtime_rules_is_an_error()
    {
        var errors = PolicyCompiler.Compile("""{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"p","namespace":"n"},"spec":{}}"""u8).Errors;
        Assert.Contains(errors, e => e.StartsWith("spec.rules: must be a non-empty list of rules", StringComparison.Ordinal));
    }

    [Fact]
    public void Admission_and_runtime_rules_compile_side_by_side()
    {
        var compilation = PolicyCompiler.Compile("""
            {"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"p","namespace":"n"},"spec":{
             "rules":[{"name":"no-host-pid","conditions":[{"hostPID":true}],"actions":["deny"]}],
             "runtime":{"rules":[{"name":"no-sh","executables":["/bin/sh"],"response":["kill"]}]},
             "runtime-typo":1}}
            """u8);
        Assert.Equal(["spec.runtime-typo: unknown field"], compilation.Errors);
    }
}
