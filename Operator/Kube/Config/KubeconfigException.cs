namespace SecurityOperator.Kube.Config;

/// <summary>A kubeconfig (or in-cluster configuration) that cannot be used. The message always names the file and the
/// field: "kubeconfig /x/config: users[0].user.client-key-data: not valid base64".</summary>
public sealed class KubeconfigException : Exception
{
    public KubeconfigException(string source, string? field, string problem, Exception? inner = null)
        : base(field is null ? $"kubeconfig {source}: {problem}" : $"kubeconfig {source}: {field}: {problem}", inner)
    {
        Source = source;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file (or "in-cluster") the problem is in.</summary>
    public new string Source { get; }
    /// <summary>The field path, e.g. users[0].user.client-key-data; null when the problem is the whole file.</summary>
    public string? Field { get; }
    public string Problem { get; }
}
