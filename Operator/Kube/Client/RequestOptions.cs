namespace SecurityOperator.Kube.Client;

/// <summary>Query parameters of a LIST (and of a WATCH, see <see cref="KubeListerWatcher{T}"/>).</summary>
public sealed record ListOptions
{
    /// <summary>e.g. "app=web,tier in (frontend)" (pods-04).</summary>
    public string? LabelSelector { get; init; }
    /// <summary>e.g. "spec.nodeName=node-a"; "spec.nodeName=" selects unscheduled pods (pods-04).</summary>
    public string? FieldSelector { get; init; }
    /// <summary>Page size; null asks for everything in one answer.</summary>
    public int? Limit { get; init; }
    /// <summary>The opaque token of the previous page; the same limit and selectors must be sent with it.</summary>
    public string? Continue { get; init; }
    public string? ResourceVersion { get; init; }
    /// <summary>"NotOlderThan" or "Exact" (with <see cref="ResourceVersion"/>).</summary>
    public string? ResourceVersionMatch { get; init; }
}

/// <summary>Options of create, replace and patch.</summary>
public record WriteOptions
{
    /// <summary>Sends dryRun=All: the server validates and admits but stores nothing.</summary>
    public bool DryRun { get; init; }
    /// <summary>The field manager recorded in managedFields; required for server-side apply. The server defaults it to the
    /// User-Agent prefix otherwise.</summary>
    public string? FieldManager { get; init; }
    /// <summary>"Strict", "Warn" (the server default: unknown fields give a Warning header) or "Ignore" (errors-422).</summary>
    public string? FieldValidation { get; init; }
}

/// <summary>Options of a patch: server-side apply may force ownership of conflicting fields.</summary>
public sealed record PatchOptions : WriteOptions
{
    /// <summary>Apply only: take fields owned by other managers instead of failing with 409 (pods-08).</summary>
    public bool Force { get; init; }
}
