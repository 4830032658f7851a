using System.Text;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Tests.Policy.Compilation;

public class PolicyCompilerTests
{
    // The design's example of issue 3, converted from YAML to JSON as written.
    internal const string DesignExample = """
    {"apiVersion":"security.io/v1","kind":"SecurityPolicy",
     "metadata":{"name":"production-workload-policy","namespace":"production"},
     "spec":{
       "rules":[
         {"name":"trusted-registries","description":"Only allow images from trusted registries",
          "conditions":[{"imageNotFromRegistry":["registry.company.com","gcr.io/company-project"]}],"actions":["deny","alert"]},
         {"name":"no-root-containers","description":"Prevent containers running as root",
          "conditions":[{"runAsRoot":true}],"actions":["deny"]},
         {"name":"resource-limits","description":"Enforce resource limits",
          "conditions":[{"missingResourceLimits":true}],
          "actions":[{"mutate":{"setDefaults":{"limits":{"cpu":"1000m","memory":"1Gi"},"requests":{"cpu":"100m","memory":"128Mi"}}}}]}],
       "enforcementMode":"enforce",
       "targets":{"namespaceSelector":{"matchLabels":{"environment":"production"}},
                  "podSelector":{"matchExpressions":[{"key":"tier","operator":"In","values":["frontend","backend"]}]}},
       "remediation":{"automatic":true,"actions":[{"notify":{"channels":["security-team","oncall"]}},{"quarantine":{"duration":"5m"}}]}}}
    """;

    private static IReadOnlyList<string> Errors(string json) => PolicyCompiler.Compile(Encoding.UTF8.GetBytes(json)).Errors;

    private static string Policy(string rules, string extraSpec = "") =>
        """{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"p","namespace":"ns"},"spec":{"""
        + extraSpec + "\"rules\":" + rules + "}}";

    [Fact]
    public void DesignExampleCompilesAndMeansWhatItSays()
    {
        var policy = PolicyTestKit.Compile(DesignExample);
        Assert.Equal("production-workload-policy", policy.Name);
        Assert.Equal("production", policy.Namespace);
        Assert.Equal(PolicyScope.Namespaced, policy.Scope);
        Assert.Equal(EnforcementMode.Enforce, policy.Mode);
        Assert.Equal(3, policy.Rules.Count);
        var registries = Assert.IsType<ImageNotFromRegistryCondition>(Assert.Single(policy.Rules[0].Conditions));
        Assert.Equal(["registry.company.com", "gcr.io/company-project"], registries.Prefixes);
        Assert.True(policy.Rules[0].Actions.Deny);
        Assert.True(policy.Rules[0].Actions.Alert);
        Assert.IsType<RunAsRootCondition>(Assert.Single(policy.Rules[1].Conditions));
        var setDefaults = policy.Rules[2].Actions.SetDefaults!;
        Assert.Equal([new("cpu", "1000m"), new("memory", "1Gi")], setDefaults.Limits);
        Assert.Equal([new("cpu", "100m"), new("memory", "128Mi")], setDefaults.Requests);
        Assert.False(policy.Rules[2].Actions.Deny);
        Assert.True(policy.NamespaceSelector!.Matches(new Dictionary<string, string> { ["environment"] = "production" }));
        Assert.False(policy.NamespaceSelector.Matches(new Dictionary<string, string> { ["environment"] = "dev" }));
        Assert.True(policy.Remediation.Automatic);
        Assert.Equal(["security-team", "oncall"], policy.Remediation.Notify!.Channels);
        Assert.Equal(TimeSpan.FromMinutes(5), policy.Remediation.Quarantine!.Duration);
    }

    [Fact]
    public void ErrorsNameExactPathsAndAllAreCollected()
    {
        var errors = Errors(Policy("""
            [{"name":"a","conditions":[{"runAsRoot":true}],"actions":["deny"]},
             {"name":"b","conditions":[{"runAsRoot":true}],"actions":["deny"]},
             {"name":"c","conditions":[{"imageNotFromRegistry":[]},{"noSuchCondition":true},{"hostPID":"yes"}],"actions":["explode"],"colour":"red"}]
            """, "\"enforcementMode\":\"block\","));
        Assert.Equal(
        [
            "spec.enforcementMode: \"block\" is not one of enforce, dryrun, warn",
            "spec.rules[2].colour: unknown field",
            "spec.rules[2].conditions[0].imageNotFromRegistry: must be a non-empty list of registry prefixes",
            $"spec.rules[2].conditions[1].noSuchCondition: unknown condition (expected one of {string.Join(", ", ConditionKeys.All)})",
            "spec.rules[2].conditions[2].hostPID: must be true or false, found a string \"yes\"",
            "spec.rules[2].actions[0]: unknown action \"explode\" (expected deny, alert, or a map mutate/notify/quarantine)",
        ], errors);
    }

    [Theory]
    [InlineData("""{"maxContainers":0}""", "spec.rules[0].conditions[0].maxContainers: must be a positive integer, found a number 0")]
    [InlineData("""{"podSecurity":{"level":"strict"}}""", "spec.rules[0].conditions[0].podSecurity.level: must be baseline or restricted, found a string \"strict\"")]
    [InlineData("""{"podSecurity":{"level":"baseline","version":"1.25"}}""", "spec.rules[0].conditions[0].podSecurity.version: must be latest or v1.N (e.g. v1.30), found a string \"1.25\"")]
    [InlineData("""{"hostPath":{"allowedPrefixes":["var/log"]}}""", "spec.rules[0].conditions[0].hostPath.allowedPrefixes[0]: \"var/log\" must be an absolute path")]
    [InlineData("""{"requiredLabels":["bad key"]}""", "spec.rules[0].conditions[0].requiredLabels[0]: \"bad key\" is not a label key: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character")]
    [InlineData("""{"runAsRoot":true,"hostPID":true}""", "spec.rules[0].conditions[0]: must have exactly one condition key, found 2")]
    [InlineData("""{"imageNotFromRegistry":["https://registry.io"]}""", "spec.rules[0].conditions[0].imageNotFromRegistry[0]: \"https://registry.io\" is not a registry or repository prefix (e.g. registry.example.com or gcr.io/project)")]
    public void ConditionParameterErrors(string condition, string expected)
    {
        var errors = Errors(Policy($$"""[{"name":"r","conditions":[{{condition}}],"actions":["deny"]}]"""));
        Assert.Equal([expected], errors);
    }

    [Theory]
    [InlineData("""[{"mutate":{"setDefaults":{"limits":{"cpu":"lots"}}}}]""", "spec.rules[0].actions[0].mutate.setDefaults.limits.cpu: \"lots\" is not a non-negative quantity (e.g. 500m, 1, 128Mi, 1Gi)")]
    [InlineData("""[{"mutate":{"setDefaults":{"limits":{"cpu":"100m"},"requests":{"cpu":"1"}}}}]""", "spec.rules[0].actions[0].mutate.setDefaults.requests.cpu: 1 is more than limits.cpu 100m")]
    [InlineData("""[{"quarantine":{"duration":"soon"}}]""", "spec.rules[0].actions[0].quarantine.duration: must be a positive duration such as 30s, 5m, 1h30m")]
    [InlineData("""[]""", "spec.rules[0].actions: must be a non-empty list of actions (deny, alert, mutate, notify, quarantine)")]
    public void ActionErrors(string actions, string expected)
    {
        var errors = Errors(Policy($$"""[{"name":"r","conditions":[{"runAsRoot":true}],"actions":{{actions}}}]"""));
        Assert.Equal([expected], errors);
    }

    [Fact]
    public void StructuralErrors()
    {
        Assert.Equal(["spec.rules: must be a non-empty list of rules"], Errors(Policy("[]")));
        Assert.Equal(["metadata.name: required", "spec: required"],
            Errors("""{"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{}}"""));
        Assert.Contains("metadata.namespace: required for a SecurityPolicy (it applies to its own namespace)",
            Errors("""{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"x"},"spec":{"rules":[{"name":"r","conditions":[{"runAsRoot":true}],"actions":["deny"]}]}}"""));
        Assert.Equal(["apiVersion: \"security.io/v2\" is not security.io/v1"],
            Errors("""{"apiVersion":"security.io/v2","kind":"ClusterSecurityPolicy","metadata":{"name":"x"},"spec":{"rules":[{"name":"r","conditions":[{"runAsRoot":true}],"actions":["deny"]}]}}"""));
        Assert.Equal(["kind: \"Pod\" is not SecurityPolicy or ClusterSecurityPolicy"], Errors("""{"apiVersion":"v1","kind":"Pod"}"""));
        var wrongType = Assert.Single(Errors("""{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"x"},"spec":{"rules":"all"}}"""));
        Assert.StartsWith("spec.rules: ", wrongType);
        Assert.StartsWith("(document): ", Assert.Single(Errors("{not json")));
    }

    [Fact]
    public void BooleanFalseSwitchesAConditionOff()
    {
        var policy = PolicyTestKit.Compile(Policy("""[{"name":"r","conditions":[{"runAsRoot":false},{"hostPID":true}],"actions":["deny"]}]"""));
        Assert.IsType<HostNamespaceCondition>(Assert.Single(policy.Rules[0].Conditions));
    }

    [Theory]
    [InlineData("1000m", 1.0)]
    [InlineData("1Gi", 1073741824.0)]
    [InlineData("128Mi", 134217728.0)]
    [InlineData("1.5", 1.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData("500k", 500000.0)]
    public void QuantityParser(string text, double expected)
    {
        Assert.True(Quantity.TryParse(text, out var value));
        Assert.Equal(expected, value, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1GB")]
    [InlineData("Gi")]
    [InlineData("1..2")]
    [InlineData("1e")]
    public void QuantityParserRejects(string text) => Assert.False(Quantity.TryParse(text, out _));

    [Fact]
    public void FiftyRulePolicyCompiles()
    {
        var json = PolicyCorpus.FiftyRulePolicy();
        var compilation = PolicyCompiler.Compile(json);
        Assert.True(compilation.Succeeded, string.Join("\n", compilation.Errors));
        Assert.Equal(50, compilation.Policy!.Rules.Count);
    }
}
