using System.Text;

namespace SecurityOperator.Kube.Client;

/// <summary>Builds a request path with a query string, escaping every value.</summary>
internal sealed class KubeQuery
{
    private readonly StringBuilder _path;
    private bool _hasQuery;

    public KubeQuery(string path)
    {
        _path = new StringBuilder(path);
        _hasQuery = path.Contains('?');
    }

    public KubeQuery Add(string name, string? value)
    {
        if (value is null) return this;
        _path.Append(_hasQuery ? '&' : '?').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        _hasQuery = true;
        return this;
    }

    public KubeQuery Add(ListOptions? options)
    {
        if (options is null) return this;
        return Add("labelSelector", Empty(options.LabelSelector))
            .Add("fieldSelector", Empty(options.FieldSelector))
            .Add("limit", options.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("continue", Empty(options.Continue))
            .Add("resourceVersion", options.ResourceVersion)
            .Add("resourceVersionMatch", Empty(options.ResourceVersionMatch));
    }

    public KubeQuery Add(WriteOptions? options)
    {
        if (options is null) return this;
        Add("dryRun", options.DryRun ? "All" : null)
            .Add("fieldManager", Empty(options.FieldManager))
            .Add("fieldValidation", Empty(options.FieldValidation));
        return options is PatchOptions { Force: true } ? Add("force", "true") : this;
    }

    public override string ToString() => _path.ToString();

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
