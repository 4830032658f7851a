using System.Runtime.InteropServices;

namespace SecurityOperator.Runtime.Bpf;

/// <summary>The few libc calls the agent needs that .NET does not expose: open(2) of a directory (cgroup fds for
/// attach), name_to_handle_at(2) (cgroup v2 ids), stat(2) (an executable's inode). Linked statically from glibc in the AOT binary.</summary>
internal static unsafe partial class Native
{
    internal const int ORdOnly = 0, ODirectory = 0x10000, OCloexec = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    /// <summary>stat(2) into a buffer of at least 144 bytes; st_dev and st_ino are its first two 64-bit words on
    /// x86_64 and arm64 alike.</summary>
    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Stat(string path, void* buffer);

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    internal static partial int ClockGettime(int clock, long* timespec);

    internal const int ClockRealtime = 0, ClockBoottime = 7;

    [LibraryImport("libc", EntryPoint = "name_to_handle_at", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int NameToHandleAt(int dirfd, string path, void* handle, int* mountId, int flags);
}
