namespace SecurityOperator.Controllers;

/// <summary>Where the process's memory is at one moment, as the GC sees it: logged with each first-pass milestone
/// (<see cref="InitialAuditProgress"/>) so a large cluster's memory can be traced to the managed heap, the GC's spare
/// committed memory or native memory without a profiler (issue 5's RSS budget).</summary>
internal readonly record struct MemoryReading(double HeapMb, double LargeObjectHeapMb, double FragmentedMb, double CommittedMb, double ResidentMb, int Gen2Collections,
    double AllocatedMb, int Gen0Collections, int Gen1Collections)
{
    private const double Mb = 1024 * 1024;

    public static MemoryReading Now()
    {
        var info = GC.GetGCMemoryInfo();
        // GenerationInfo: 0, 1, 2, then the large and pinned object heaps (as of the last collection).
        var loh = info.GenerationInfo.Length > 3 ? info.GenerationInfo[3].SizeAfterBytes : 0;
        return new MemoryReading(GC.GetTotalMemory(forceFullCollection: false) / Mb, loh / Mb, info.FragmentedBytes / Mb,
            info.TotalCommittedBytes / Mb, Environment.WorkingSet / Mb, GC.CollectionCount(2),
            GC.GetTotalAllocatedBytes(precise: false) / Mb, GC.CollectionCount(0), GC.CollectionCount(1));
    }
}
