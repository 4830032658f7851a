namespace SecurityOperator.Policy.Conditions;

/// <summary>Recognizers for well-known credential formats in a value (searched anywhere in it), allocation-free.</summary>
public static class CredentialFormats
{
    private static readonly string[] Names =
        ["AWS access key id", "GitHub token", "Slack token", "PEM private key", "JSON Web Token", "Google API key", "Stripe live secret key"];

    public static string Name(int format) => Names[format];

    /// <summary>The shortest value any format can match: a Slack token, "xoxb-" + 10 characters (AWS 20, PEM header
    /// and footer 26, JWT 32, GitHub 33, Stripe 24, Google 39). Shorter values (most env values) skip every search.</summary>
    private const int ShortestMatch = 15;

    /// <summary>Index of the first format found in <paramref name="value"/>, or -1.</summary>
    public static int Find(ReadOnlySpan<byte> value)
    {
        if (value.Length < ShortestMatch) return -1;
        if (HasAwsKey(value)) return 0;
        if (HasPrefixedRun(value, "ghp_"u8, 36) || HasPrefixedRun(value, "gho_"u8, 36) || HasPrefixedRun(value, "ghu_"u8, 36)
            || HasPrefixedRun(value, "ghs_"u8, 36) || HasPrefixedRun(value, "ghr_"u8, 36) || HasPrefixedRun(value, "github_pat_"u8, 22)) return 1;
        if (HasPrefixedRun(value, "xoxb-"u8, 10) || HasPrefixedRun(value, "xoxp-"u8, 10) || HasPrefixedRun(value, "xoxa-"u8, 10)
            || HasPrefixedRun(value, "xoxr-"u8, 10) || HasPrefixedRun(value, "xoxs-"u8, 10)) return 2;
        var begin = value.IndexOf("-----BEGIN"u8);
        if (begin >= 0 && value[begin..].IndexOf("PRIVATE KEY-----"u8) >= 0) return 3;
        if (HasJwt(value)) return 4;
        if (HasPrefixedRun(value, "AIza"u8, 35)) return 5;
        if (HasPrefixedRun(value, "sk_live_"u8, 16)) return 6;
        return -1;
    }

    private static bool IsTokenByte(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'_' or (byte)'-';

    /// <summary><paramref name="prefix"/> followed by at least <paramref name="minRun"/> token characters.</summary>
    private static bool HasPrefixedRun(ReadOnlySpan<byte> value, ReadOnlySpan<byte> prefix, int minRun)
    {
        var offset = 0;
        while (offset < value.Length)
        {
            var at = value[offset..].IndexOf(prefix);
            if (at < 0) return false;
            var start = offset + at + prefix.Length;
            var run = 0;
            while (start + run < value.Length && IsTokenByte(value[start + run])) run++;
            if (run >= minRun) return true;
            offset = start;
        }
        return false;
    }

    private static bool HasAwsKey(ReadOnlySpan<byte> value)
    {
        for (var i = 0; i + 20 <= value.Length; i++)
        {
            if (value[i] != 'A' || !(value[(i + 1)..].StartsWith("KIA"u8) || value[(i + 1)..].StartsWith("SIA"u8))) continue;
            var ok = true;
            for (var j = i + 4; j < i + 20 && ok; j++) ok = char.IsAsciiLetterUpper((char)value[j]) || char.IsAsciiDigit((char)value[j]);
            if (ok && (i + 20 == value.Length || !char.IsAsciiLetterOrDigit((char)value[i + 20]))) return true;
        }
        return false;
    }

    /// <summary>"eyJ" header, '.', "eyJ" payload, '.', signature — base64url runs of at least 10 characters each.</summary>
    private static bool HasJwt(ReadOnlySpan<byte> value)
    {
        var at = value.IndexOf("eyJ"u8);
        while (at >= 0)
        {
            var rest = value[at..];
            var first = Run(rest);
            if (first >= 10 && first < rest.Length && rest[first] == '.' && rest[(first + 1)..].StartsWith("eyJ"u8))
            {
                var second = Run(rest[(first + 1)..]);
                var afterSecond = first + 1 + second;
                if (second >= 10 && afterSecond < rest.Length && rest[afterSecond] == '.' && Run(rest[(afterSecond + 1)..]) >= 10) return true;
            }
            var next = value[(at + 3)..].IndexOf("eyJ"u8);
            at = next < 0 ? -1 : at + 3 + next;
        }
        return false;
    }

    private static int Run(ReadOnlySpan<byte> s)
    {
        var n = 0;
        while (n < s.Length && (char.IsAsciiLetterOrDigit((char)s[n]) || s[n] is (byte)'_' or (byte)'-')) n++;
        return n;
    }
}
