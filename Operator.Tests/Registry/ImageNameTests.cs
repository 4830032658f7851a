using SecurityOperator.Registry;

namespace SecurityOperator.Tests.Registry;

public class ImageNameTests
{
    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", null, "latest", "index.docker.io/library/nginx", "registry-1.docker.io")]
    [InlineData("nginx:1.25", "docker.io", "library/nginx", "1.25", "1.25", "index.docker.io/library/nginx", "registry-1.docker.io")]
    [InlineData("bitnami/redis:7", "docker.io", "bitnami/redis", "7", "7", "index.docker.io/bitnami/redis", "registry-1.docker.io")]
    [InlineData("index.docker.io/library/nginx", "docker.io", "library/nginx", null, "latest", "index.docker.io/library/nginx", "registry-1.docker.io")]
    [InlineData("localhost/app", "localhost", "app", null, "latest", "localhost/app", "localhost")]
    [InlineData("127.0.0.1:5000/team/app:v1", "127.0.0.1:5000", "team/app", "v1", "v1", "127.0.0.1:5000/team/app", "127.0.0.1:5000")]
    [InlineData("ghcr.io/org/sub/app_x__y-z.w:V_1.0-rc", "ghcr.io", "org/sub/app_x__y-z.w", "V_1.0-rc", "V_1.0-rc", "ghcr.io/org/sub/app_x__y-z.w", "ghcr.io")]
    public void Normalizes_like_distribution_reference(string text, string registry, string repository, string? tag, string reference,
        string name, string apiHost)
    {
        var image = ImageName.Parse(text);
        Assert.Equal(registry, image.Registry);
        Assert.Equal(repository, image.Repository);
        Assert.Equal(tag, image.Tag);
        Assert.Equal(reference, image.Reference);
        Assert.Equal(name, image.Name);
        Assert.Equal(apiHost, image.ApiHost);
    }

    [Fact]
    public void Digest_wins_over_tag_as_the_reference()
    {
        var digest = new string('a', 64);
        var image = ImageName.Parse($"registry.example.com:443/app:1.0@sha256:{digest}");
        Assert.Equal("registry.example.com:443", image.Registry);
        Assert.Equal("1.0", image.Tag);
        Assert.Equal($"sha256:{digest}", image.Reference);
        Assert.Equal($"registry.example.com:443/app:1.0@sha256:{digest}", image.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Nginx", "path component 'Nginx'")]
    [InlineData("example.com/App", "path component 'App'")]
    [InlineData("app:-bad", "tag '-bad'")]
    [InlineData("app::1", "path component 'app:'")]
    [InlineData("a//b", "empty path component")]
    [InlineData("app@sha256:abc", "sha256 needs 64 hex digits")]
    [InlineData("app@md5:0123", "unsupported algorithm 'md5'")]
    [InlineData("exa_mple.com/app", "registry 'exa_mple.com'")]
    public void Rejects_what_the_grammar_rejects_naming_the_part(string text, string problem)
    {
        var e = Assert.Throws<FormatException>(() => ImageName.Parse(text));
        Assert.Contains(problem, e.Message);
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void Rejects_names_longer_than_255()
    {
        var e = Assert.Throws<FormatException>(() => ImageName.Parse("example.com/" + new string('a', 250)));
        Assert.Contains("longer than 255", e.Message);
    }

    [Fact]
    public void Tag_of_129_characters_is_refused()
    {
        Assert.True(ImageName.TryParse("app:" + new string('t', 128), out _, out _));
        Assert.False(ImageName.TryParse("app:" + new string('t', 129), out _, out _));
    }
}
