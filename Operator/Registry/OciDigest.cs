using System.Security.Cryptography;

namespace SecurityOperator.Registry;

/// <summary>A content digest <c>algorithm:hex</c> as the OCI image spec defines it. Only sha256 and sha512 are accepted
/// (the two registered algorithms); hex is lower case with the algorithm's exact length, so two equal digests are
/// equal strings.</summary>
public readonly record struct OciDigest
{
    private OciDigest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }
    public string Hex { get; }

    public override string ToString() => Algorithm + ":" + Hex;

    public static OciDigest Parse(string text) =>
        TryParse(text, out var digest, out var problem) ? digest : throw new FormatException($"invalid digest '{text}': {problem}");

    public static bool TryParse(string? text, out OciDigest digest, out string problem)
    {
        digest = default;
        if (string.IsNullOrEmpty(text)) { problem = "empty"; return false; }
        var colon = text.IndexOf(':');
        if (colon <= 0) { problem = "must be algorithm:hex"; return false; }
        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var length = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (length < 0) { problem = $"unsupported algorithm '{algorithm}' (sha256 or sha512)"; return false; }
        if (hex.Length != length) { problem = $"{algorithm} needs {length} hex digits, found {hex.Length}"; return false; }
        foreach (var c in hex)
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f')) { problem = $"'{c}' is not a lower-case hex digit"; return false; }
        digest = new OciDigest(algorithm, hex);
        problem = "";
        return true;
    }

    public static OciDigest Sha256Of(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>The digest of <paramref name="content"/> under this digest's own algorithm.</summary>
    public bool Matches(ReadOnlySpan<byte> content)
    {
        if (Hex is null) return false;
        var actual = Algorithm == "sha512" ? SHA512.HashData(content) : SHA256.HashData(content);
        return Convert.ToHexStringLower(actual) == Hex;
    }
}
