namespace SecurityOperator.Audit;

/// <summary>Namespace labels for offline evaluation, where no API server can say what they are: each
/// --namespace-labels value is NAMESPACE=KEY=VALUE[,KEY=VALUE...] (e.g. "production=environment=production,team=web").
/// Every namespace also gets kubernetes.io/metadata.name=NAMESPACE, which the API server sets on every namespace.</summary>
public static class NamespaceLabels
{
    public const string MetadataNameLabel = "kubernetes.io/metadata.name";

    /// <summary>Null when the value is well formed, else the problem (for the command-line error).</summary>
    public static string? Validate(string value) => TryParse(value, out _, out _, out var error) ? null : error;

    public static bool TryParse(string value, out string ns, out Dictionary<string, string> labels, out string? error)
    {
        labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var eq = value.IndexOf('=');
        ns = eq < 0 ? value : value[..eq];
        if (eq <= 0)
        {
            error = "must be NAMESPACE=KEY=VALUE[,KEY=VALUE...]";
            return false;
        }
        foreach (var pair in value[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var sep = pair.IndexOf('=');
            if (sep <= 0)
            {
                error = $"label '{pair}' of namespace {ns} must be KEY=VALUE";
                return false;
            }
            labels[pair[..sep].Trim()] = pair[(sep + 1)..].Trim();
        }
        error = null;
        return true;
    }

    /// <summary>All --namespace-labels values, merged per namespace.</summary>
    public static Dictionary<string, Dictionary<string, string>> ParseAll(IEnumerable<string> values)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (!TryParse(value, out var ns, out var labels, out var error)) throw new FormatException(error);
            if (!result.TryGetValue(ns, out var existing)) result[ns] = existing = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in labels) existing[k] = v;
        }
        return result;
    }

    /// <summary>The labels of <paramref name="ns"/>: what was given plus the name label the API server always sets.</summary>
    public static IReadOnlyDictionary<string, string> For(string ns, IReadOnlyDictionary<string, Dictionary<string, string>> given)
    {
        var labels = given.TryGetValue(ns, out var known)
            ? new Dictionary<string, string>(known, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        labels[MetadataNameLabel] = ns;
        return labels;
    }
}
