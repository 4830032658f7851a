using System.Runtime.InteropServices;
using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Runtime.Policies;

/// <summary>Resolves a path inside a container's filesystem to the file identity the kernel checks at exec. The path is
/// opened below /proc/&lt;pid&gt;/root with openat2(RESOLVE_IN_ROOT): absolute symlinks and ".." stay inside the
/// container's root (a plain open through /proc/&lt;pid&gt;/root would follow an absolute symlink such as
/// /bin/sh -> /usr/bin/dash on the agent's own filesystem), so what is denied is the file the container's processes
/// reach under that name, on the container's own overlay mount (whose device differs per container).</summary>
public static unsafe partial class ContainerFiles
{
    private const int SysOpenat2 = 437; // same number on x86_64 and arm64 (asm-generic)
    private const ulong OPath = 0x200000, OCloexec = 0x80000, ODirectory = 0x10000;
    private const ulong ResolveNoMagicLinks = 0x02, ResolveInRoot = 0x10;
    private const int ENoEnt = 2, ENotDir = 20;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long dirfd, byte* path, OpenHow* how, nuint size);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int Fstat(int fd, void* buffer);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>The identity of <paramref name="path"/> as the processes of <paramref name="pid"/> see it; null when no
    /// such file exists there. Throws IOException for anything else (process gone, no permission).</summary>
    public static ExecKey? Identity(int pid, string path) => IdentityBelow($"/proc/{pid}/root", path);

    /// <summary>As <see cref="Identity"/>, below any root directory (tests use a directory of their own).</summary>
    public static ExecKey? IdentityBelow(string root, string path)
    {
        var rootFd = Open(-100 /* AT_FDCWD */, root, OPath | ODirectory | OCloexec, 0);
        if (rootFd < 0) throw new IOException($"{root}: cannot open: errno {-rootFd}");
        try
        {
            var fd = Open(rootFd, path, OPath | OCloexec, ResolveInRoot | ResolveNoMagicLinks);
            if (fd == -ENoEnt || fd == -ENotDir) return null;
            if (fd < 0) throw new IOException($"{path} in {root}: openat2 failed: errno {-fd}");
            try
            {
                var buffer = stackalloc ulong[32]; // struct stat: st_dev and st_ino are its first two words on x86_64 and arm64
                if (Fstat(fd, buffer) != 0) throw new IOException($"{path} in {root}: fstat failed: errno {Marshal.GetLastPInvokeError()}");
                return new ExecKey { Inode = buffer[1], Device = ExecutableIdentity.KernelDevice(buffer[0]) };
            }
            finally
            {
                Close(fd);
            }
        }
        finally
        {
            Close(rootFd);
        }
    }

    /// <summary>openat2; a negative errno on failure.</summary>
    private static int Open(int dirfd, string path, ulong flags, ulong resolve)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        var how = new OpenHow { Flags = flags, Resolve = resolve };
        fixed (byte* p = bytes)
        {
            var fd = Syscall(SysOpenat2, dirfd, p, &how, (nuint)sizeof(OpenHow));
            return fd >= 0 ? (int)fd : -Marshal.GetLastPInvokeError();
        }
    }
}
