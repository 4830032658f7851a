namespace SecurityOperator.Compliance.Cis;

/// <summary>Which host files a permission/ownership check looks at. The path comes from a component setting when one
/// names it (kubelet --kubeconfig, etcd --data-dir, ...), else from <see cref="DefaultPaths"/> (kubeadm's locations;
/// every existing one is checked). <see cref="Recursive"/> walks a directory (the directory itself included), keeping
/// entries whose name ends with <see cref="Suffix"/> when one is given.</summary>
public sealed record FileTarget(string[] DefaultPaths, KubeComponent? FromComponent = null, string? FromFlag = null,
    string? FromConfigPath = null, bool Recursive = false, string? Suffix = null)
{
    public static FileTarget At(params string[] paths) => new(paths);

    public static FileTarget ManifestOf(KubeComponent component) => new([component.ManifestPath!]);

    public string Describe()
    {
        var where = string.Join(", ", DefaultPaths);
        if (FromFlag is not null) where = $"--{FromFlag} of {FromComponent!.Name} (default {where})";
        if (Recursive) where = Suffix is null ? $"{where} and everything under it" : $"*{Suffix} under {where}";
        return where;
    }
}
