namespace SecurityOperator.Compliance.Cis;

/// <summary>Which edition of the CIS Kubernetes Benchmark the checks follow. v1.12 is the current one for Kubernetes
/// 1.32–1.34; v1.8 (Kubernetes 1.26–1.27 era) is kept for clusters still audited against it.</summary>
public enum CisBenchmarkVersion { V1_8, V1_12 }

public static class CisBenchmarkVersions
{
    public const string V1_8Name = "cis-1.8", V1_12Name = "cis-1.12";

    /// <summary>The newest edition this build implements (used when nothing is chosen).</summary>
    public const CisBenchmarkVersion Latest = CisBenchmarkVersion.V1_12;

    public static string Name(CisBenchmarkVersion version) => version == CisBenchmarkVersion.V1_8 ? V1_8Name : V1_12Name;

    /// <summary>Accepts "cis-1.12", "1.12", "v1.12" (and the same for 1.8).</summary>
    public static bool TryParse(string text, out CisBenchmarkVersion version)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t.StartsWith("cis-", StringComparison.Ordinal)) t = t[4..];
        if (t.StartsWith('v')) t = t[1..];
        switch (t)
        {
            case "1.8": version = CisBenchmarkVersion.V1_8; return true;
            case "1.12": version = CisBenchmarkVersion.V1_12; return true;
            default: version = Latest; return false;
        }
    }

    public static string? Validate(string text) =>
        TryParse(text, out _) ? null : $"\"{text}\" is not a supported benchmark: use {V1_12Name} or {V1_8Name}";
}
