namespace SecurityOperator.Kube.Client;

/// <summary>The PATCH flavours kube-apiserver accepts, each with its own Content-Type.</summary>
public enum PatchType
{
    /// <summary>RFC 7386 JSON merge patch: null deletes, lists are replaced whole (pods-05, pods-07).</summary>
    Merge,
    /// <summary>RFC 6902 JSON patch: an array of test/add/replace/remove operations (pods-06).</summary>
    Json,
    /// <summary>Strategic merge patch: lists merge by key (containers by name). Built-in types only: a CR answers 415 (crd-03).</summary>
    StrategicMerge,
    /// <summary>Server-side apply: the manager's full intent; needs a field manager (pods-08).</summary>
    Apply,
}

public static class PatchTypes
{
    public static string ContentType(this PatchType type) => type switch
    {
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        PatchType.Apply => "application/apply-patch+yaml",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown patch type"),
    };
}
