using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SecurityOperator.Policy.Api;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Tests.Support;
using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Manifests;

/// <summary>The CRDs in manifests/crds carry a structural schema that matches what the policy compiler accepts: same
/// field names as the API model, same condition keys, same enums and required fields; and the example policies are
/// valid for both.</summary>
public class PolicyCrdSchemaTests
{
    public static TheoryData<string> CrdFiles => new() { "security.io_securitypolicies.yaml", "security.io_clustersecuritypolicies.yaml" };

    private static JsonElement Crd(string file)
    {
        var path = Path.Combine(RepositoryPaths.Root, "manifests", "crds", file);
        var doc = Assert.Single(YamlToJson.ConvertAll(File.ReadAllText(path), path));
        return JsonDocument.Parse(doc.Json).RootElement;
    }

    private static JsonElement Schema(string file) =>
        Crd(file).GetProperty("spec").GetProperty("versions")[0].GetProperty("schema").GetProperty("openAPIV3Schema");

    private static JsonElement Spec(string file) => Schema(file).GetProperty("properties").GetProperty("spec");

    private static string[] Names(JsonElement schema) =>
        schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    private static string[] ModelNames(JsonTypeInfo info) =>
        info.Properties.Where(p => !p.IsExtensionData).Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public void The_schema_is_structural(string file) => Assert.Empty(CrdSchemaValidator.StructuralProblems(Schema(file)));

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public void Field_names_match_the_api_model(string file)
    {
        var spec = Spec(file);
        var rule = spec.GetProperty("properties").GetProperty("rules").GetProperty("items");
        var props = spec.GetProperty("properties");
        Assert.Equal(ModelNames(PolicyJsonContext.Default.SecurityPolicySpec), Names(spec));
        Assert.Equal(ModelNames(PolicyJsonContext.Default.PolicyRule), Names(rule));
        Assert.Equal(ModelNames(PolicyJsonContext.Default.PolicyTargets), Names(props.GetProperty("targets")));
        Assert.Equal(ModelNames(PolicyJsonContext.Default.PolicyExclude), Names(props.GetProperty("exclude")));
        Assert.Equal(ModelNames(PolicyJsonContext.Default.PolicyRemediation), Names(props.GetProperty("remediation")));
        Assert.Equal(ModelNames(PolicyJsonContext.Default.SecurityPolicyStatus),
            Names(Schema(file).GetProperty("properties").GetProperty("status")));
    }

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public void The_runtime_schema_names_the_fields_of_the_api_model_and_accepts_what_the_compiler_accepts(string file)
    {
        var runtime = Spec(file).GetProperty("properties").GetProperty("runtime");
        var rule = runtime.GetProperty("properties").GetProperty("rules").GetProperty("items");
        var connect = rule.GetProperty("properties").GetProperty("connect");
        Assert.Equal(ModelNames(PolicyJsonContext.Default.RuntimeSpec), Names(runtime));
        Assert.Equal(ModelNames(PolicyJsonContext.Default.RuntimeRuleSpec), Names(rule));
        Assert.Equal(ModelNames(PolicyJsonContext.Default.RuntimeConnectSpec), Names(connect));
        Assert.Equal(ModelNames(PolicyJsonContext.Default.RuntimeDestinationSpec), Names(connect.GetProperty("properties").GetProperty("denied").GetProperty("items")));
        Assert.Equal(ModelNames(PolicyJsonContext.Default.RuntimeDestinationSpec), Names(connect.GetProperty("properties").GetProperty("allowed").GetProperty("items")));

        var kind = file.Contains("cluster", StringComparison.Ordinal) ? "ClusterSecurityPolicy" : "SecurityPolicy";
        var ns = kind == "SecurityPolicy" ? ",\"namespace\":\"n\"" : "";
        var json = $$"""{"apiVersion":"security.io/v1","kind":"{{kind}}","metadata":{"name":"p"{{ns}}},"spec":{"runtime":{"rules":[""" +
            """{"name":"tools","executables":["/usr/bin/curl"],"response":["kill","event"]},""" +
            """{"name":"egress","connect":{"denied":[{"cidr":"169.254.169.254"}],"allowed":[{"cidr":"10.0.0.0/8","port":443}]},"response":["block",{"quarantine":{"duration":"1h"}}]},""" +
            """{"name":"files","sensitivePaths":["/etc/shadow"],"response":["log"]}]}}}""";
        Assert.Empty(CrdSchemaValidator.Validate(Schema(file), JsonDocument.Parse(json).RootElement));
        Assert.True(Compile(json).Succeeded, string.Join("; ", Compile(json).Errors));
        var spec = Spec(file);
        Assert.Equal("has(self.rules) || has(self.runtime)", spec.GetProperty("x-kubernetes-validations")[0].GetProperty("rule").GetString());
    }

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public void Every_condition_key_of_the_compiler_is_in_the_schema_and_nothing_else(string file)
    {
        var conditions = Spec(file).GetProperty("properties").GetProperty("rules").GetProperty("items")
            .GetProperty("properties").GetProperty("conditions").GetProperty("items");
        Assert.Equal(ConditionKeys.All.Order(StringComparer.Ordinal).ToArray(), Names(conditions));
        Assert.Equal(1, conditions.GetProperty("maxProperties").GetInt32());
    }

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public void Enforcement_modes_are_those_the_compiler_knows(string file)
    {
        var modes = Spec(file).GetProperty("properties").GetProperty("enforcementMode").GetProperty("enum")
            .EnumerateArray().Select(m => m.GetString()!).ToArray();
        foreach (var mode in modes) Assert.True(Compile(PolicyWith($"\"enforcementMode\":\"{mode}\"")).Succeeded, mode);
        Assert.False(Compile(PolicyWith("\"enforcementMode\":\"audit\"")).Succeeded);
    }

    [Theory]
    [InlineData("""{"rules":[{"conditions":[{"hostPID":true}],"actions":["deny"]}]}""", "name")]
    [InlineData("""{"rules":[{"name":"r","actions":["deny"]}]}""", "conditions")]
    [InlineData("""{"rules":[{"name":"r","conditions":[{"hostPID":true}]}]}""", "actions")]
    [InlineData("""{"rules":[]}""", "rules")]
    public void What_the_schema_requires_the_compiler_requires_too(string spec, string missing)
    {
        var json = $$"""{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"p","namespace":"n"},"spec":{{spec}}}""";
        var compilation = Compile(json);
        Assert.False(compilation.Succeeded);
        Assert.Contains(compilation.Errors, e => e.Contains(missing));
        var schemaErrors = CrdSchemaValidator.Validate(Schema("security.io_securitypolicies.yaml"), JsonDocument.Parse(json).RootElement);
        Assert.NotEmpty(schemaErrors);
    }

    [Fact]
    public void The_example_policies_are_valid_for_the_crd_and_the_compiler()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "examples", "policies"), "*.yaml");
        Assert.NotEmpty(files);
        foreach (var file in files)
            foreach (var doc in YamlToJson.ConvertAll(File.ReadAllText(file), file))
            {
                var root = JsonDocument.Parse(doc.Json).RootElement;
                var crd = root.GetProperty("kind").GetString() == "ClusterSecurityPolicy"
                    ? "security.io_clustersecuritypolicies.yaml" : "security.io_securitypolicies.yaml";
                Assert.Empty(CrdSchemaValidator.Validate(Schema(crd), root, Path.GetFileName(file)));
                var compilation = PolicyCompiler.Compile(doc.Json);
                Assert.True(compilation.Succeeded, $"{file}: {string.Join("; ", compilation.Errors)}");
            }
    }

    [Fact]
    public void The_crds_serve_v1_with_the_status_subresource_and_the_right_scope()
    {
        var namespaced = Crd("security.io_securitypolicies.yaml").GetProperty("spec");
        var cluster = Crd("security.io_clustersecuritypolicies.yaml").GetProperty("spec");
        Assert.Equal("Namespaced", namespaced.GetProperty("scope").GetString());
        Assert.Equal("Cluster", cluster.GetProperty("scope").GetString());
        foreach (var spec in new[] { namespaced, cluster })
        {
            Assert.Equal("security.io", spec.GetProperty("group").GetString());
            var version = spec.GetProperty("versions")[0];
            Assert.Equal("v1", version.GetProperty("name").GetString());
            Assert.True(version.GetProperty("subresources").TryGetProperty("status", out _));
        }
    }

    private static string PolicyWith(string specMember) =>
        "{\"apiVersion\":\"security.io/v1\",\"kind\":\"SecurityPolicy\",\"metadata\":{\"name\":\"p\",\"namespace\":\"n\"},\"spec\":{" +
        specMember + ",\"rules\":[{\"name\":\"r\",\"conditions\":[{\"hostPID\":true}],\"actions\":[\"deny\"]}]}}";

    private static PolicyCompilation Compile(string json) => PolicyCompiler.Compile(Encoding.UTF8.GetBytes(json));

    private static string SignaturePolicy(string condition) =>
        $$$"""{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"p","namespace":"n"},"spec":{"rules":[{"name":"signed","conditions":[{"imageSignature":{{{condition}}}}],"actions":["deny"]}]}}""";

    private static string PublicKeyJson()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return JsonSerializer.Serialize(key.ExportSubjectPublicKeyInfoPem());
    }

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public void The_imageSignature_schema_names_the_fields_the_compiler_reads(string file)
    {
        var condition = Spec(file).GetProperty("properties").GetProperty("rules").GetProperty("items").GetProperty("properties")
            .GetProperty("conditions").GetProperty("items").GetProperty("properties").GetProperty("imageSignature");
        Assert.Equal(["attestors", "failurePolicy", "images", "mutateDigest", "required"], Names(condition));
        var attestor = condition.GetProperty("properties").GetProperty("attestors").GetProperty("items");
        Assert.Equal(["name", "publicKey", "secretRef"], Names(attestor));
        Assert.Equal(["key", "name", "namespace"], Names(attestor.GetProperty("properties").GetProperty("secretRef")));
        var json = SignaturePolicy($$"""{"images":["registry.example.com/*"],"attestors":[{"name":"release","publicKey":{{PublicKeyJson()}}}],"required":1,"mutateDigest":true,"failurePolicy":"ignore"}""");
        Assert.Empty(CrdSchemaValidator.Validate(Schema("security.io_securitypolicies.yaml"), JsonDocument.Parse(json).RootElement));
        Assert.True(Compile(json).Succeeded, string.Join("; ", Compile(json).Errors));
    }

    [Theory]
    [InlineData("""{"attestors":[{"name":"a","publicKey":"k"}]}""", "images")]
    [InlineData("""{"images":["x/*"]}""", "attestors")]
    [InlineData("""{"images":["x/*"],"attestors":[{"publicKey":"k"}]}""", "name")]
    [InlineData("""{"images":["x/*"],"attestors":[{"name":"a","publicKey":"k"}],"required":0}""", "required")]
    [InlineData("""{"images":["x/*"],"attestors":[{"name":"a","publicKey":"k"}],"failurePolicy":"Ignore"}""", "failurePolicy")]
    public void What_the_imageSignature_schema_refuses_the_compiler_refuses(string condition, string field)
    {
        var json = SignaturePolicy(condition);
        var compilation = Compile(json);
        Assert.False(compilation.Succeeded);
        Assert.Contains(compilation.Errors, e => e.Contains(field));
        Assert.NotEmpty(CrdSchemaValidator.Validate(Schema("security.io_securitypolicies.yaml"), JsonDocument.Parse(json).RootElement));
    }

    private static string SignaturePolicy(string kind, string attestor) => kind == "ClusterSecurityPolicy"
        ? $$$"""{"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"p"},"spec":{"rules":[{"name":"signed","conditions":[{"imageSignature":{"images":["x/*"],"attestors":[{{{attestor}}}]}}],"actions":["deny"]}]}}"""
        : SignaturePolicy($$"""{"images":["x/*"],"attestors":[{{attestor}}]}""");

    private static string CrdOf(string kind) =>
        kind == "ClusterSecurityPolicy" ? "security.io_clustersecuritypolicies.yaml" : "security.io_securitypolicies.yaml";

    [Theory]
    [InlineData("SecurityPolicy", """{"name":"a","secretRef":{"name":"cosign-keys"}}""")]
    [InlineData("SecurityPolicy", """{"name":"a","secretRef":{"name":"cosign-keys","namespace":"n","key":"release.pub"}}""")]
    [InlineData("ClusterSecurityPolicy", """{"name":"a","secretRef":{"name":"cosign.keys","namespace":"signing"}}""")]
    public void A_secretRef_both_accept(string kind, string attestor)
    {
        var json = SignaturePolicy(kind, attestor);
        Assert.Empty(CrdSchemaValidator.Validate(Schema(CrdOf(kind)), JsonDocument.Parse(json).RootElement));
        Assert.True(Compile(json).Succeeded, string.Join("; ", Compile(json).Errors));
    }

    [Theory]
    [InlineData("SecurityPolicy", """{"name":"a","publicKey":"k","secretRef":{"name":"cosign-keys"}}""", "exclusive")]
    [InlineData("SecurityPolicy", """{"name":"a"}""", "secretRef")]
    [InlineData("SecurityPolicy", """{"name":"a","secretRef":{"namespace":"n"}}""", "secretRef.name")]
    [InlineData("SecurityPolicy", """{"name":"a","secretRef":{"name":"Cosign_Keys"}}""", "secretRef.name")]
    [InlineData("SecurityPolicy", """{"name":"a","secretRef":{"name":"k","key":"a/b"}}""", "secretRef.key")]
    [InlineData("SecurityPolicy", """{"name":"a","secretRef":{"name":"k","namespace":"-n"}}""", "secretRef.namespace")]
    [InlineData("SecurityPolicy", """{"name":"a","secretRef":{"name":"k","optional":true}}""", "secretRef.optional")]
    [InlineData("ClusterSecurityPolicy", """{"name":"a","secretRef":{"name":"cosign-keys"}}""", "secretRef.namespace")]
    public void What_the_secretRef_schema_refuses_the_compiler_refuses(string kind, string attestor, string field)
    {
        var json = SignaturePolicy(kind, attestor);
        var compilation = Compile(json);
        Assert.False(compilation.Succeeded);
        Assert.Contains(compilation.Errors, e => e.Contains(field));
        Assert.NotEmpty(CrdSchemaValidator.Validate(Schema(CrdOf(kind)), JsonDocument.Parse(json).RootElement));
    }
}
