namespace SecurityOperator.Kube.Config;

/// <summary>Finds the configuration to use, in controller-runtime's order (pkg/client/config.GetConfig):
/// the --kubeconfig flag, then the KUBECONFIG variable, then in-cluster, then $HOME/.kube/config.</summary>
public static class KubeConfigLocator
{
    /// <param name="kubeconfigFlag">The --kubeconfig value (one file; missing is an error).</param>
    /// <param name="context">A context to use instead of current-context (null: current-context).</param>
    /// <param name="environment">Environment lookup (Environment.GetEnvironmentVariable in production).</param>
    /// <param name="inClusterRoot">The service-account mount; tests pass a temporary directory.</param>
    public static KubeClientConfig Load(string? kubeconfigFlag, string? context, Func<string, string?> environment,
        string inClusterRoot = InClusterConfig.DefaultRoot, TimeProvider? time = null)
    {
        if (!string.IsNullOrEmpty(kubeconfigFlag))
            return LoadFiles([kubeconfigFlag], missingIsError: true, context, time);

        var list = environment("KUBECONFIG");
        if (!string.IsNullOrEmpty(list))
        {
            // kubectl: a colon-separated list; empty entries and missing files are skipped, but at least one must exist.
            var paths = list.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return LoadFiles(paths, missingIsError: false, context, time);
        }

        if (InClusterConfig.IsAvailable(environment))
            return InClusterConfig.Load(environment, inClusterRoot, time);

        var home = environment("HOME");
        var defaultPath = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".kube", "config");
        if (defaultPath is not null && File.Exists(defaultPath))
            return LoadFiles([defaultPath], missingIsError: true, context, time);

        throw new KubeconfigException(defaultPath ?? "$HOME/.kube/config", null,
            "no configuration found: pass --kubeconfig, set KUBECONFIG, run in a pod, or create $HOME/.kube/config");
    }

    /// <summary>Loads and merges kubeconfig files (first definition of each name wins) and resolves a context.</summary>
    public static KubeClientConfig LoadFiles(IReadOnlyList<string> paths, bool missingIsError, string? context = null, TimeProvider? time = null)
    {
        var files = new List<KubeconfigFile>();
        foreach (var path in paths)
            if (KubeconfigFile.Read(path, missingIsError) is { } file) files.Add(file);
        if (files.Count == 0)
            throw new KubeconfigException(string.Join(":", paths), null, "none of the KUBECONFIG files exists");
        return KubeconfigResolver.Resolve(MergedKubeconfig.Merge(files), context, time);
    }
}
