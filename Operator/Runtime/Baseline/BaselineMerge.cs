using System.Text.Json;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>Merges two documents of one workload (what this node learned and what is stored, written by every node
/// that runs a replica): entries are united within the size bounds (stored ones first), the earliest learning start
/// wins, "truncated" sticks.</summary>
public static class BaselineMerge
{
    public static BaselineDocument Merge(WorkloadRef workload, BaselineDocument? stored, BaselineDocument local, BaselineOptions options)
    {
        var merged = new WorkloadBaseline(workload, options);
        merged.Adopt(stored, 0);
        merged.Adopt(local, 0);
        return merged.Snapshot(out _);
    }

    public static bool SameContent(BaselineDocument a, BaselineDocument b) =>
        Serialize(a).AsSpan().SequenceEqual(Serialize(b));

    public static byte[] Serialize(BaselineDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, BaselineJsonContext.Default.BaselineDocument);
}
