using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Tests.Signing;

namespace SecurityOperator.Tests.Policy.Conditions;

public class ImageSignatureConditionTests
{
    private static PolicyCompilation Compile(string condition) => PolicyCompiler.Compile(Encoding.UTF8.GetBytes(
        "{\"apiVersion\":\"security.io/v1\",\"kind\":\"ClusterSecurityPolicy\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"rules\":[{\"name\":\"signed\",\"conditions\":[{\"imageSignature\":" +
        condition + "}],\"actions\":[\"deny\"]}]}}"));

    private static string Attestor(string name, string pem) => $"{{\"name\":\"{name}\",\"publicKey\":{JsonSerializer.Serialize(pem)}}}";

    private static ImageSignatureCondition Compiled(string condition)
    {
        var compilation = Compile(condition);
        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Errors));
        return Assert.IsType<ImageSignatureCondition>(Assert.Single(Assert.Single(compilation.Policy!.Rules).Conditions));
    }

    [Fact]
    public void Required_defaults_to_every_attestor_mutateDigest_to_false_and_failurePolicy_to_fail()
    {
        using var a = new TestKeyPair();
        using var b = new TestKeyPair();
        var condition = Compiled($"{{\"images\":[\"ghcr.io/org/*\"],\"attestors\":[{Attestor("a", a.PublicPem)},{Attestor("b", b.PublicPem)}]}}");
        Assert.Equal(2, condition.Required);
        Assert.False(condition.MutateDigest);
        Assert.Equal(ImageSignatureFailurePolicy.Fail, condition.FailurePolicy);
        Assert.Equal(["a", "b"], condition.Attestors.Select(x => x.Name));
    }

    [Fact]
    public void The_key_set_id_does_not_depend_on_attestor_order()
    {
        using var a = new TestKeyPair();
        using var b = new TestKeyPair();
        var ab = Compiled($"{{\"images\":[\"*\"],\"attestors\":[{Attestor("a", a.PublicPem)},{Attestor("b", b.PublicPem)}]}}");
        var ba = Compiled($"{{\"images\":[\"*\"],\"attestors\":[{Attestor("b", b.PublicPem)},{Attestor("a", a.PublicPem)}]}}");
        Assert.Equal(ab.InlineKeySet!.Id, ba.InlineKeySet!.Id);
    }

    [Theory]
    [InlineData("ghcr.io/org/*", "ghcr.io/org/app:1.0", true)]
    [InlineData("ghcr.io/org/*", "ghcr.io/other/app:1.0", false)]
    [InlineData("docker.io/library/nginx*", "nginx:1.25", true)]
    [InlineData("nginx:*", "nginx:1.25", true)]
    [InlineData("registry.example.com/*", "registry.example.com.evil.io/app", false)]
    public void Targets_images_as_written_or_normalized(string glob, string image, bool targeted)
    {
        using var a = new TestKeyPair();
        var condition = Compiled($"{{\"images\":[{JsonSerializer.Serialize(glob)}],\"attestors\":[{Attestor("a", a.PublicPem)}]}}");
        Assert.Equal(targeted, condition.Targets(Encoding.UTF8.GetBytes(image)));
    }

    [Fact]
    public void Errors_name_the_field_and_the_problem()
    {
        using var a = new TestKeyPair();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var errors = Compile($"{{\"images\":[\"*\"],\"attestors\":[{Attestor("a", a.PublicPem)},{Attestor("a", a.PublicPem)},{Attestor("c", p384.ExportSubjectPublicKeyInfoPem())},{Attestor("d", "not a key")},{Attestor("e", a.PublicPem)}],\"required\":9,\"failurePolicy\":\"Ignore\",\"verify\":true}}").Errors;
        const string at = "spec.rules[0].conditions[0].imageSignature";
        Assert.Contains(errors, e => e.StartsWith($"{at}.attestors[1].name:") && e.Contains("used by another attestor"));
        Assert.Contains(errors, e => e.StartsWith($"{at}.attestors[2].publicKey:") && e.Contains("P-256"));
        Assert.Contains(errors, e => e.StartsWith($"{at}.attestors[3].publicKey:") && e.Contains("not a PEM public key"));
        Assert.Contains(errors, e => e.StartsWith($"{at}.attestors[4].publicKey:") && e.Contains("same key as another attestor"));
        Assert.Contains(errors, e => e.StartsWith($"{at}.failurePolicy: must be fail or ignore") && e.Contains("\"Ignore\""));
        Assert.Contains(errors, e => e.StartsWith($"{at}.verify: unknown field"));
    }

    [Theory]
    [InlineData("fail", ImageSignatureFailurePolicy.Fail)]
    [InlineData("ignore", ImageSignatureFailurePolicy.Ignore)]
    public void FailurePolicy_is_read(string value, ImageSignatureFailurePolicy expected)
    {
        using var a = new TestKeyPair();
        var condition = Compiled($"{{\"images\":[\"*\"],\"attestors\":[{Attestor("a", a.PublicPem)}],\"failurePolicy\":\"{value}\"}}");
        Assert.Equal(expected, condition.FailurePolicy);
    }

    [Fact]
    public void Required_more_than_the_attestors_is_an_error()
    {
        using var a = new TestKeyPair();
        var errors = Compile($"{{\"images\":[\"*\"],\"attestors\":[{Attestor("a", a.PublicPem)}],\"required\":2}}").Errors;
        Assert.Contains("spec.rules[0].conditions[0].imageSignature.required: 2 is more than the 1 attestor(s)", errors);
    }
}
