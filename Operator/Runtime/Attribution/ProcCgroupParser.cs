namespace SecurityOperator.Runtime.Attribution;

/// <summary>Reads /proc/&lt;pid&gt;/cgroup ("hierarchy-id:controllers:path" per line) and picks the path that names
/// the container: the cgroup v2 line ("0::/...") when it is below kubepods, else the first cgroup v1 line that is
/// (on a v1 or hybrid host with the cgroupfs driver only the v1 hierarchies carry the pod path).</summary>
public static class ProcCgroupParser
{
    public static ContainerRef? Parse(string text)
    {
        ContainerRef? fromV1 = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var first = line.IndexOf(':');
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0) continue;
            var parsed = CgroupPathParser.Parse(line.AsSpan(second + 1));
            if (parsed is null) continue;
            if (line.StartsWith("0::", StringComparison.Ordinal)) return parsed;
            fromV1 ??= parsed;
        }
        return fromV1;
    }
}
