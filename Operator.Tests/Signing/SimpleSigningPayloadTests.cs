using System.Text;
using SecurityOperator.Registry;
using SecurityOperator.Signing;

namespace SecurityOperator.Tests.Signing;

public class SimpleSigningPayloadTests
{
    private static readonly string Hex = new('a', 64);

    [Fact]
    public void Payload_is_cosigns_simple_signing_json_byte_for_byte()
    {
        var image = ImageName.Parse($"registry.example.com/team/app@sha256:{Hex}");
        var payload = Encoding.UTF8.GetString(SimpleSigningPayload.Create(image, image.Digest!.Value));
        Assert.Equal(
            "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example.com/team/app\"},\"image\":{\"docker-manifest-digest\":\"sha256:" + Hex +
            "\"},\"type\":\"cosign container image signature\"},\"optional\":null}", payload);
    }

    [Fact]
    public void Docker_hub_reference_is_spelled_like_go_containerregistry()
    {
        var image = ImageName.Parse($"nginx@sha256:{Hex}");
        var parsed = SimpleSigningPayload.Parse(SimpleSigningPayload.Create(image, image.Digest!.Value));
        Assert.Equal("index.docker.io/library/nginx", parsed.Critical.Identity.DockerReference);
    }

    [Fact]
    public void Parses_a_payload_with_optional_fields()
    {
        var json = "{\"critical\":{\"identity\":{\"docker-reference\":\"r/a\"},\"image\":{\"docker-manifest-digest\":\"sha256:" + Hex +
                   "\"},\"type\":\"cosign container image signature\"},\"optional\":{\"creator\":\"ci\",\"n\":1}}";
        var parsed = SimpleSigningPayload.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal("sha256:" + Hex, parsed.Critical.Image.DockerManifestDigest);
        Assert.Equal("ci", parsed.Optional!["creator"].GetString());
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"critical\":{}}", "docker-manifest-digest")]
    public void Bad_payloads_are_format_errors(string json, string problem)
    {
        Assert.Contains(problem, Assert.Throws<FormatException>(() => SimpleSigningPayload.Parse(Encoding.UTF8.GetBytes(json))).Message);
    }

    [Fact]
    public void Signature_tag_is_algorithm_dash_hex_dot_sig()
    {
        Assert.Equal($"sha256-{Hex}.sig", CosignFormat.SignatureTag(OciDigest.Parse("sha256:" + Hex)));
    }
}
