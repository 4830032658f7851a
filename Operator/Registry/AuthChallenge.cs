namespace SecurityOperator.Registry;

/// <summary>One challenge of a WWW-Authenticate header (RFC 7235): a scheme and its auth-params, e.g.
/// <c>Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"</c>.
/// Parameter names are case-insensitive; values are tokens or quoted strings with backslash escapes.</summary>
public sealed class AuthChallenge
{
    private AuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    public string Scheme { get; }
    public IReadOnlyDictionary<string, string> Parameters { get; }

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);
    public string? Realm => Parameters.GetValueOrDefault("realm");
    public string? Service => Parameters.GetValueOrDefault("service");
    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>Every challenge in one header value (a header may carry several, comma-separated). A malformed value
    /// is a <see cref="FormatException"/> naming the position.</summary>
    public static IReadOnlyList<AuthChallenge> ParseAll(string header)
    {
        var result = new List<AuthChallenge>();
        var i = 0;
        SkipSpaceAndCommas(header, ref i);
        while (i < header.Length)
        {
            var scheme = ReadToken(header, ref i);
            if (scheme.Length == 0) throw new FormatException($"WWW-Authenticate '{header}': expected a scheme at position {i}");
            var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            SkipSpaces(header, ref i);
            while (i < header.Length)
            {
                var start = i;
                var name = ReadToken(header, ref i);
                SkipSpaces(header, ref i);
                if (name.Length == 0 || i >= header.Length || header[i] != '=')
                {
                    i = start; // not a parameter: the next challenge's scheme (or token68, which registries do not use)
                    break;
                }
                i++;
                SkipSpaces(header, ref i);
                parameters[name] = i < header.Length && header[i] == '"' ? ReadQuoted(header, ref i) : ReadToken(header, ref i);
                SkipSpaces(header, ref i);
                if (i < header.Length && header[i] == ',') { i++; SkipSpaces(header, ref i); }
            }
            result.Add(new AuthChallenge(scheme, parameters));
            SkipSpaceAndCommas(header, ref i);
        }
        return result;
    }

    private static string ReadToken(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && s[i] is not (' ' or '\t' or ',' or '=' or '"')) i++;
        return s[start..i];
    }

    private static string ReadQuoted(string s, ref int i)
    {
        var open = i++;
        var value = new System.Text.StringBuilder();
        while (i < s.Length && s[i] != '"')
        {
            if (s[i] == '\\' && i + 1 < s.Length) i++;
            value.Append(s[i++]);
        }
        if (i >= s.Length) throw new FormatException($"WWW-Authenticate '{s}': unterminated quoted string at position {open}");
        i++;
        return value.ToString();
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t') i++;
    }

    private static void SkipSpaceAndCommas(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or ',') i++;
    }
}
