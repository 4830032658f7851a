using System.Globalization;
using System.Security.Cryptography;

namespace SecurityOperator.Admission.Certificates;

/// <summary>Which bundle every webhook configuration carries and since when, kept as two annotations on the Secret so
/// the propagation wait survives a restart or a change of leader (the state lives in the cluster, not in memory).</summary>
public sealed record BundleRecord(string Sha256, DateTimeOffset Since)
{
    public const string Sha256Annotation = "security-operator.io/ca-bundle-sha256";
    public const string SinceAnnotation = "security-operator.io/ca-bundle-in-place-since";

    public static string Hash(ReadOnlySpan<byte> bundle) => Convert.ToHexStringLower(SHA256.HashData(bundle));

    /// <summary>The record from the annotations, or null when either is missing or unreadable (then the wait restarts:
    /// the conservative choice).</summary>
    public static BundleRecord? Read(IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null
            || !annotations.TryGetValue(Sha256Annotation, out var sha)
            || !annotations.TryGetValue(SinceAnnotation, out var since)
            || !DateTimeOffset.TryParseExact(since, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return null;
        return new BundleRecord(sha, time);
    }

    public void WriteTo(IDictionary<string, string> annotations)
    {
        annotations[Sha256Annotation] = Sha256;
        annotations[SinceAnnotation] = Since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
