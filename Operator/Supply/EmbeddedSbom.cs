namespace SecurityOperator.Supply;

/// <summary>The CycloneDX 1.5 JSON SBOM that the build (supply-chain/sbom.targets) generates from packages.lock.json
/// and the resolved framework packs and embeds in this executable; `--sbom` prints it unchanged.</summary>
public static class EmbeddedSbom
{
    /// <summary>The resource's logical name, set by supply-chain/sbom.targets.</summary>
    public const string ResourceName = "security-operator.sbom.cdx.json";

    /// <summary>The SBOM's bytes, or null when this build carries none (a build without supply-chain/sbom.targets).</summary>
    public static byte[]? Read()
    {
        using var stream = typeof(EmbeddedSbom).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) return null;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Writes the SBOM to <paramref name="stdout"/>; exit code 0, or 1 with a message when it is missing.</summary>
    public static async Task<int> WriteAsync(TextWriter stdout, TextWriter stderr)
    {
        var sbom = Read();
        if (sbom is null)
        {
            await stderr.WriteLineAsync($"security-operator: this build has no embedded SBOM (resource {ResourceName})").ConfigureAwait(false);
            return 1;
        }
        await stdout.WriteAsync(System.Text.Encoding.UTF8.GetString(sbom)).ConfigureAwait(false);
        await stdout.FlushAsync().ConfigureAwait(false);
        return 0;
    }
}
