namespace SecurityOperator.Runtime.Attribution;

/// <summary>Reads pod UID and container ID out of the cgroup paths kubelets create, with either cgroup driver, on
/// cgroup v1 and v2 alike (the path below the hierarchy's root is the same shape):
/// <list type="bullet">
/// <item>cgroupfs: <c>/kubepods/&lt;qos&gt;/pod&lt;uid&gt;/&lt;id&gt;</c>, Guaranteed pods without the qos segment;</item>
/// <item>systemd: <c>/kubepods.slice/kubepods-&lt;qos&gt;.slice/kubepods-&lt;qos&gt;-pod&lt;uid_with_underscores&gt;.slice/&lt;runtime&gt;-&lt;id&gt;.scope</c>
/// with runtime cri-containerd, crio or docker, Guaranteed pods as <c>kubepods-pod&lt;uid&gt;.slice</c> directly below.</item>
/// </list>
/// Anything may precede "kubepods" (a kubelet --cgroup-root, a nested hierarchy). A pod-level cgroup, CRI-O's conmon
/// scope and non-container paths give null.</summary>
public static class CgroupPathParser
{
    public const string Guaranteed = "guaranteed", Burstable = "burstable", BestEffort = "besteffort";

    public static ContainerRef? Parse(ReadOnlySpan<char> path)
    {
        Span<Range> segments = stackalloc Range[32];
        var count = path.Split(segments, '/', StringSplitOptions.RemoveEmptyEntries);
        if (count == segments.Length) return null; // deeper than any kubelet path
        for (var i = 0; i < count; i++)
        {
            var segment = path[segments[i]];
            if (segment is "kubepods") return CgroupFs(path, segments[(i + 1)..count]);
            if (segment is "kubepods.slice") return Systemd(path, segments[(i + 1)..count]);
        }
        return null;
    }

    // kubepods/[besteffort|burstable/]pod<uid>/<id>
    private static ContainerRef? CgroupFs(ReadOnlySpan<char> path, ReadOnlySpan<Range> rest)
    {
        var qos = Guaranteed;
        if (rest.Length == 3)
        {
            var qosSegment = path[rest[0]];
            if (qosSegment is not (BestEffort or Burstable)) return null;
            qos = qosSegment.ToString();
            rest = rest[1..];
        }
        if (rest.Length != 2) return null;
        var pod = path[rest[0]];
        if (!pod.StartsWith("pod") || !IsUid(pod[3..], '-')) return null;
        var id = path[rest[1]];
        // containerd with the cgroupfs driver names the cgroup by the bare id; docker's cgroupfs driver does too.
        return IsContainerId(id) ? new ContainerRef(pod[3..].ToString(), id.ToString(), "", qos) : null;
    }

    // kubepods.slice/[kubepods-<qos>.slice/]kubepods[-<qos>]-pod<uid_>.slice/<runtime>-<id>.scope
    private static ContainerRef? Systemd(ReadOnlySpan<char> path, ReadOnlySpan<Range> rest)
    {
        var qos = Guaranteed;
        if (rest.Length == 3)
        {
            var qosSlice = path[rest[0]];
            if (qosSlice is "kubepods-besteffort.slice") qos = BestEffort;
            else if (qosSlice is "kubepods-burstable.slice") qos = Burstable;
            else return null;
            rest = rest[1..];
        }
        if (rest.Length != 2) return null;
        var podSlice = path[rest[0]];
        var expectedPrefix = qos == Guaranteed ? "kubepods-pod" : $"kubepods-{qos}-pod";
        if (!podSlice.StartsWith(expectedPrefix) || !podSlice.EndsWith(".slice")) return null;
        var uid = podSlice[expectedPrefix.Length..^".slice".Length];
        if (!IsUid(uid, '_')) return null;
        var scope = path[rest[1]];
        if (!scope.EndsWith(".scope")) return null;
        scope = scope[..^".scope".Length];
        var dash = scope.LastIndexOf('-');
        if (dash <= 0) return null;
        var runtime = scope[..dash];
        var id = scope[(dash + 1)..];
        if (runtime is not ("cri-containerd" or "crio" or "docker") || !IsContainerId(id)) return null;
        return new ContainerRef(uid.ToString().Replace('_', '-'), id.ToString(), runtime switch
        {
            "cri-containerd" => "containerd",
            "crio" => "cri-o",
            _ => "docker",
        }, qos);
    }

    /// <summary>8-4-4-4-12 hex digits with the given separator (systemd slice names use '_' because '-' nests slices).</summary>
    private static bool IsUid(ReadOnlySpan<char> text, char separator)
    {
        if (text.Length != 36) return false;
        for (var i = 0; i < text.Length; i++)
        {
            var dashPosition = i is 8 or 13 or 18 or 23;
            if (dashPosition ? text[i] != separator : !char.IsAsciiHexDigitLower(text[i])) return false;
        }
        return true;
    }

    private static bool IsContainerId(ReadOnlySpan<char> text)
    {
        if (text.Length != 64) return false;
        foreach (var c in text)
            if (!char.IsAsciiHexDigitLower(c)) return false;
        return true;
    }
}
