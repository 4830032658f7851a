using System.Runtime.InteropServices;
using SecurityOperator.Runtime.Bpf;

namespace SecurityOperator.Runtime.Sensor;

/// <summary>Facts about the cgroup v2 hierarchy: where it is mounted, and a directory's cgroup id (the v2 id that
/// bpf_get_current_cgroup_id returns is the kernfs node id, which name_to_handle_at returns as the handle).</summary>
public static unsafe class CgroupFs
{
    /// <summary>Mount point of the cgroup2 filesystem from /proc/self/mountinfo text: /sys/fs/cgroup on a pure v2
    /// host, /sys/fs/cgroup/unified on a hybrid one; null when there is none. The last one wins: in the DaemonSet the
    /// host's hierarchy is bind-mounted over the runtime's namespaced /sys/fs/cgroup, and mountinfo lists it later.</summary>
    public static string? FindV2Mount(string mountinfo)
    {
        string? found = null;
        foreach (var line in mountinfo.Split('\n'))
        {
            // "36 25 0:31 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw": the fs type follows the " - " separator.
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0) continue;
            var after = line[(separator + 3)..].Split(' ');
            if (after.Length == 0 || after[0] != "cgroup2") continue;
            var fields = line[..separator].Split(' ');
            if (fields.Length >= 5) found = fields[4].Replace("\\040", " ", StringComparison.Ordinal);
        }
        return found;
    }

    public static string? FindV2Mount() => File.Exists("/proc/self/mountinfo") ? FindV2Mount(File.ReadAllText("/proc/self/mountinfo")) : null;

    /// <summary>The cgroup id of a cgroup v2 directory.</summary>
    public static ulong IdOf(string directory)
    {
        // struct file_handle { u32 handle_bytes; int handle_type; u8 f_handle[]; } with room for an 8-byte kernfs id.
        var buffer = stackalloc byte[8 + 64];
        *(uint*)buffer = 64;
        int mountId;
        if (Native.NameToHandleAt(-100 /* AT_FDCWD */, directory, buffer, &mountId, 0) != 0)
            throw new IOException($"cgroup directory {directory}: name_to_handle_at failed: errno {Marshal.GetLastPInvokeError()}");
        if (*(uint*)buffer < 8) throw new IOException($"cgroup directory {directory}: unexpected file handle of {*(uint*)buffer} bytes");
        return *(ulong*)(buffer + 8);
    }

    /// <summary>Depth of a cgroup below the hierarchy's root (the root is level 0), which is what
    /// bpf_get_current_ancestor_cgroup_id takes.</summary>
    public static uint LevelOf(string mount, string directory)
    {
        var relative = Path.GetRelativePath(mount, directory);
        if (relative == ".") return 0;
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new ArgumentException($"{directory} is not inside the cgroup v2 mount {mount}", nameof(directory));
        return (uint)relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
