namespace SecurityOperator.Compliance.Remediation;

/// <summary>--compliance-remove-bindings: the (Cluster)RoleBindings remediation may delete, each named exactly as
/// <c>ClusterRoleBinding/NAME</c> or <c>RoleBinding/NAMESPACE/NAME</c>. Nothing else is ever deleted.</summary>
public sealed class BindingAllowList
{
    private readonly HashSet<string> _entries;

    private BindingAllowList(HashSet<string> entries) => _entries = entries;

    public static BindingAllowList Empty { get; } = new([]);

    public int Count => _entries.Count;

    public IReadOnlyCollection<string> Entries => _entries;

    public static string EntryOf(string kind, string? @namespace, string name) =>
        @namespace is null ? $"{kind}/{name}" : $"{kind}/{@namespace}/{name}";

    public static BindingAllowList Parse(IEnumerable<string> entries)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (ValidateEntry(entry) is { } problem) throw new ArgumentException($"--compliance-remove-bindings: {problem}");
            set.Add(entry);
        }
        return new BindingAllowList(set);
    }

    /// <summary>The flag validator: every comma-separated entry well formed.</summary>
    public static string? Validate(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ValidateEntry).FirstOrDefault(p => p is not null);

    public bool Allows(string kind, string? @namespace, string name) => _entries.Contains(EntryOf(kind, @namespace, name));

    private static string? ValidateEntry(string entry)
    {
        var parts = entry.Split('/');
        return parts switch
        {
            ["ClusterRoleBinding", { Length: > 0 }] => null,
            ["RoleBinding", { Length: > 0 }, { Length: > 0 }] => null,
            _ => $"\"{entry}\" is not ClusterRoleBinding/NAME or RoleBinding/NAMESPACE/NAME",
        };
    }
}
