using System.Text;
using SecurityOperator.Registry;

namespace SecurityOperator.Tests.Registry;

public class OciDigestTests
{
    [Fact]
    public void Sha256_of_content_matches_and_other_content_does_not()
    {
        var digest = OciDigest.Sha256Of("hello"u8);
        Assert.Equal("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", digest.ToString());
        Assert.True(digest.Matches("hello"u8));
        Assert.False(digest.Matches("hellO"u8));
    }

    [Fact]
    public void Sha512_digests_are_verified_with_sha512()
    {
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(Encoding.UTF8.GetBytes("x")));
        Assert.True(OciDigest.Parse("sha512:" + hex).Matches("x"u8));
    }

    [Theory]
    [InlineData("sha256:" + "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789", "not a lower-case hex digit")]
    [InlineData("sha256", "algorithm:hex")]
    [InlineData("sha1:abc", "unsupported algorithm")]
    public void Bad_digests_are_refused_with_the_reason(string text, string problem)
    {
        Assert.Contains(problem, Assert.Throws<FormatException>(() => OciDigest.Parse(text)).Message);
    }
}
