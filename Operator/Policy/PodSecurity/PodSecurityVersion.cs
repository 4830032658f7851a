namespace SecurityOperator.Policy.PodSecurity;

/// <summary>A Pod Security policy version, as in the <c>pod-security.kubernetes.io/enforce-version</c> label:
/// <c>v1.N</c> or <c>latest</c>. As upstream, a version newer than the newest check revision behaves like the newest
/// (registry clamp), and <see cref="Latest"/> sorts after every version.</summary>
public readonly record struct PodSecurityVersion(int Major, int Minor)
{
    public static PodSecurityVersion Latest { get; } = new(1, int.MaxValue);

    public bool IsLatest => Major == 1 && Minor == int.MaxValue;

    /// <summary>Accepts "latest" and "v1.N" (N a decimal minor without sign or leading zero, the upstream api.ParseVersion syntax).</summary>
    public static bool TryParse(string s, out PodSecurityVersion v)
    {
        v = default;
        if (s == "latest") { v = Latest; return true; }
        if (!s.StartsWith("v1.", StringComparison.Ordinal) || s.Length == 3 || s.Length > 12) return false;
        if (s[3] == '0' && s.Length > 4) return false; // no leading zeros: ^v1\.(0|[1-9][0-9]*)$
        var minor = 0;
        foreach (var c in s.AsSpan(3))
        {
            if (!char.IsAsciiDigit(c)) return false;
            minor = minor * 10 + (c - '0');
        }
        v = new PodSecurityVersion(1, minor);
        return true;
    }

    public override string ToString() => IsLatest ? "latest" : $"v{Major}.{Minor}";
}
