namespace SecurityOperator.Kube.Config;

/// <summary>An entry of a kubeconfig list plus where it came from: the file and its index there, for error messages
/// ("users[2].user.token") and for resolving its relative paths against that file's directory.</summary>
internal sealed record Sourced<T>(T Value, KubeconfigFile File, int Index);

/// <summary>Several kubeconfig files merged the way kubectl merges a KUBECONFIG list: for every cluster, user and
/// context name the FIRST file that defines it wins, and so does the first non-empty current-context.</summary>
internal sealed class MergedKubeconfig
{
    public Dictionary<string, Sourced<KubeconfigCluster>> Clusters { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Sourced<KubeconfigUser>> Users { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Sourced<KubeconfigContext>> Contexts { get; } = new(StringComparer.Ordinal);
    public string? CurrentContext { get; private set; }
    public List<string> Files { get; } = new();

    public static MergedKubeconfig Merge(IEnumerable<KubeconfigFile> files)
    {
        var merged = new MergedKubeconfig();
        foreach (var file in files) merged.Add(file);
        return merged;
    }

    private void Add(KubeconfigFile file)
    {
        Files.Add(file.Path);
        var document = file.Document;
        if (string.IsNullOrEmpty(CurrentContext) && !string.IsNullOrEmpty(document.CurrentContext))
            CurrentContext = document.CurrentContext;
        AddAll(document.Clusters, "clusters", "cluster", e => e?.Name, e => e?.Cluster, Clusters, file);
        AddAll(document.Users, "users", "user", e => e?.Name, e => e?.User, Users, file);
        AddAll(document.Contexts, "contexts", "context", e => e?.Name, e => e?.Context, Contexts, file);
    }

    private static void AddAll<TEntry, TValue>(List<TEntry>? entries, string list, string member,
        Func<TEntry?, string?> name, Func<TEntry?, TValue?> value, Dictionary<string, Sourced<TValue>> target, KubeconfigFile file)
        where TValue : class
    {
        if (entries is null) return;
        for (var i = 0; i < entries.Count; i++)
        {
            var entryName = name(entries[i]);
            if (string.IsNullOrEmpty(entryName))
                throw new KubeconfigException(file.Path, $"{list}[{i}].name", "is required");
            var entryValue = value(entries[i])
                ?? throw new KubeconfigException(file.Path, $"{list}[{i}].{member}", "is required");
            target.TryAdd(entryName, new Sourced<TValue>(entryValue, file, i));
        }
    }
}
