namespace SecurityOperator.Yaml;

/// <summary>Bounds that keep hostile input from exhausting memory or stack.</summary>
/// <param name="MaxInputChars">Largest accepted input. 16 Mi characters: far above any real manifest or kubeconfig
/// (the API server refuses request bodies over 3 MiB) yet small enough to hold in memory comfortably.</param>
/// <param name="MaxDepth">Deepest nesting of collections, counted after alias expansion. 256: real manifests stay
/// under ~20 levels; the bound keeps the recursive parser far from a stack overflow.</param>
/// <param name="MaxOutputBytes">Largest JSON produced for one document. 64 MiB: 4x the input cap, so ordinary alias
/// reuse passes while a "billion laughs" expansion stops early with a clear error.</param>
public sealed record YamlLimits(int MaxInputChars, int MaxDepth, long MaxOutputBytes)
{
    public static YamlLimits Default { get; } = new(16 * 1024 * 1024, 256, 64L * 1024 * 1024);
}
