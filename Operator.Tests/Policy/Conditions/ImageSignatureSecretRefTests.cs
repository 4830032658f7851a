using System.Text;
using System.Text.Json;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Tests.Signing;

namespace SecurityOperator.Tests.Policy.Conditions;

/// <summary>imageSignature attestors with secretRef: {name, namespace, key} instead of an inline publicKey.</summary>
public class ImageSignatureSecretRefTests
{
    private const string At = "spec.rules[0].conditions[0].imageSignature.attestors[0]";

    private static PolicyCompilation Compile(string attestors, bool cluster = false)
    {
        var metadata = cluster ? "{\"name\":\"p\"}" : "{\"name\":\"p\",\"namespace\":\"team\"}";
        return PolicyCompiler.Compile(Encoding.UTF8.GetBytes(
            $"{{\"apiVersion\":\"security.io/v1\",\"kind\":\"{(cluster ? "ClusterSecurityPolicy" : "SecurityPolicy")}\",\"metadata\":{metadata}," +
            $"\"spec\":{{\"rules\":[{{\"name\":\"signed\",\"conditions\":[{{\"imageSignature\":{{\"images\":[\"*\"],\"attestors\":[{attestors}]}}}}],\"actions\":[\"deny\"]}}]}}}}"));
    }

    private static ImageSignatureCondition Compiled(string attestors, bool cluster = false)
    {
        var compilation = Compile(attestors, cluster);
        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Errors));
        return Assert.IsType<ImageSignatureCondition>(Assert.Single(Assert.Single(compilation.Policy!.Rules).Conditions));
    }

    [Fact]
    public void In_a_SecurityPolicy_namespace_defaults_to_the_policys_and_key_to_cosign_pub()
    {
        var condition = Compiled("""{"name":"release","secretRef":{"name":"cosign-keys"}}""");
        var attestor = Assert.Single(condition.Attestors);
        Assert.Null(attestor.Key);
        Assert.Equal(new AttestorSecretRef("team", "cosign-keys", "cosign.pub"), attestor.SecretRef);
        Assert.Same(attestor, Assert.Single(condition.SecretRefs));
        Assert.Null(condition.InlineKeySet); // keys are read per request
    }

    [Fact]
    public void A_ClusterSecurityPolicy_names_the_namespace_and_may_name_the_key()
    {
        using var inline = new TestKeyPair();
        var condition = Compiled(
            $$$"""{"name":"release","secretRef":{"name":"cosign-keys","namespace":"signing","key":"release.pub"}},{"name":"ci","publicKey":{{{JsonSerializer.Serialize(inline.PublicPem)}}}}""",
            cluster: true);
        Assert.Equal(new AttestorSecretRef("signing", "cosign-keys", "release.pub"), condition.Attestors[0].SecretRef);
        Assert.NotNull(condition.Attestors[1].Key);
        Assert.Equal(2, condition.Required);
    }

    [Fact]
    public void A_ClusterSecurityPolicy_without_the_namespace_is_refused()
    {
        var errors = Compile("""{"name":"release","secretRef":{"name":"cosign-keys"}}""", cluster: true).Errors;
        Assert.Contains($"{At}.secretRef.namespace: required in a ClusterSecurityPolicy (the namespace of the Secret)", errors);
    }

    [Fact]
    public void A_SecurityPolicy_may_not_read_another_namespaces_Secret()
    {
        var errors = Compile("""{"name":"release","secretRef":{"name":"cosign-keys","namespace":"kube-system"}}""").Errors;
        var error = Assert.Single(errors);
        Assert.StartsWith($"{At}.secretRef.namespace: \"kube-system\" is not the policy's namespace \"team\"", error);
        Assert.True(Compile("""{"name":"release","secretRef":{"name":"cosign-keys","namespace":"team"}}""").Succeeded);
    }

    [Theory]
    [InlineData("""{"name":"a","publicKey":"PEM","secretRef":{"name":"k"}}""", "spec.rules[0].conditions[0].imageSignature.attestors[0]: publicKey and secretRef are exclusive")]
    [InlineData("""{"name":"a"}""", "spec.rules[0].conditions[0].imageSignature.attestors[0]: publicKey (a PEM ECDSA P-256 public key) or secretRef {name, namespace, key} required")]
    [InlineData("""{"name":"a","secretRef":"cosign-keys"}""", "spec.rules[0].conditions[0].imageSignature.attestors[0].secretRef: must be {name, namespace, key}, found a string")]
    [InlineData("""{"name":"a","secretRef":{}}""", "spec.rules[0].conditions[0].imageSignature.attestors[0].secretRef.name: required")]
    [InlineData("""{"name":"a","secretRef":{"name":"Cosign_Keys"}}""", "spec.rules[0].conditions[0].imageSignature.attestors[0].secretRef.name: \"Cosign_Keys\" is not a Secret name")]
    [InlineData("""{"name":"a","secretRef":{"name":"k","key":"a/b"}}""", "spec.rules[0].conditions[0].imageSignature.attestors[0].secretRef.key: \"a/b\" is not a Secret data key")]
    [InlineData("""{"name":"a","secretRef":{"name":"k","key":""}}""", "spec.rules[0].conditions[0].imageSignature.attestors[0].secretRef.key: must be a non-empty string")]
    [InlineData("""{"name":"a","secretRef":{"name":"k","optional":true}}""", "spec.rules[0].conditions[0].imageSignature.attestors[0].secretRef.optional: unknown field (expected name, namespace, key)")]
    [InlineData("""{"name":"a","secretRef":{"name":"k"}},{"name":"b","secretRef":{"name":"k","key":"cosign.pub"}}""", "spec.rules[0].conditions[0].imageSignature.attestors[1].secretRef: Secret team/k key cosign.pub is used by another attestor")]
    public void Bad_secretRefs_are_refused_with_the_field_path(string attestors, string error)
    {
        var compilation = Compile(attestors);
        Assert.False(compilation.Succeeded);
        Assert.Contains(compilation.Errors, e => e.StartsWith(error, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_API_the_report_names_the_Secret_the_key_is_in()
    {
        var policy = SecurityOperator.Tests.Policy.PolicyTestKit.Rule("""[{"imageSignature":{"images":["*"],"attestors":[{"name":"release","secretRef":{"name":"cosign-keys","namespace":"team"}}]}}]""");
        var evaluator = new SecurityOperator.Audit.PolicyEngineEvaluator([policy], new Dictionary<string, Dictionary<string, string>>());
        var pod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"team"},"spec":{"containers":[{"name":"app","image":"registry.example.com/app:v1"}]}}""";
        var finding = Assert.Single(evaluator.Evaluate(new SecurityOperator.Audit.ManifestObject("pod.yaml", 1, "v1", "Pod", "team", "p", Encoding.UTF8.GetBytes(pod))).Findings);
        Assert.Contains("image \"registry.example.com/app:v1\" is not signed as required", finding.Message);
        Assert.Contains("attestor release's key is in Secret team/cosign-keys key cosign.pub, which is only read through the API", finding.Message);
    }
}
