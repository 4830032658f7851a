using SecurityOperator.Registry;

namespace SecurityOperator.Tests.Registry;

public class AuthChallengeTests
{
    [Fact]
    public void Parses_a_bearer_challenge_with_quoted_parameters()
    {
        var all = AuthChallenge.ParseAll("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:team/app:pull,push\"");
        var c = Assert.Single(all);
        Assert.True(c.IsBearer);
        Assert.Equal("https://auth.example.com/token", c.Realm);
        Assert.Equal("registry.example.com", c.Service);
        Assert.Equal("repository:team/app:pull,push", c.Scope);
    }

    [Fact]
    public void Parses_several_challenges_tokens_spaces_escapes_and_case()
    {
        var all = AuthChallenge.ParseAll("basic REALM=\"a \\\"quoted\\\" realm\" , Bearer realm=https://t.example/x, service = reg");
        Assert.Equal(2, all.Count);
        Assert.True(all[0].IsBasic);
        Assert.Equal("a \"quoted\" realm", all[0].Realm);
        Assert.True(all[1].IsBearer);
        Assert.Equal("https://t.example/x", all[1].Realm);
        Assert.Equal("reg", all[1].Service);
        Assert.Null(all[1].Scope);
    }

    [Fact]
    public void A_scheme_without_parameters_is_a_challenge()
    {
        var c = Assert.Single(AuthChallenge.ParseAll("Negotiate"));
        Assert.Equal("Negotiate", c.Scheme);
        Assert.Empty(c.Parameters);
    }

    [Fact]
    public void Unterminated_quote_is_an_error_naming_the_header()
    {
        var e = Assert.Throws<FormatException>(() => AuthChallenge.ParseAll("Bearer realm=\"https://x"));
        Assert.Contains("unterminated quoted string", e.Message);
        Assert.Contains("Bearer realm", e.Message);
    }
}
