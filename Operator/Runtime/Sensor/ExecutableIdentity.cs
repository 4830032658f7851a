using System.Runtime.InteropServices;
using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Sensor;

/// <summary>An executable's file identity as the kernel sees it at exec (inode and the superblock's s_dev), the key
/// of the denied-executable map. Renames and hard links keep it; a copy gets a new one.</summary>
public static unsafe class ExecutableIdentity
{
    public static ExecKey Of(string path)
    {
        var buffer = stackalloc ulong[32]; // struct stat is 144 bytes on x86_64 and 128 on arm64
        if (Native.Stat(path, buffer) != 0)
            throw new IOException($"executable {path}: stat failed: errno {Marshal.GetLastPInvokeError()}");
        return new ExecKey { Inode = buffer[1], Device = KernelDevice(buffer[0]) };
    }

    /// <summary>glibc's dev_t (major in bits 8-19 and 32-63, minor in bits 0-7 and 12-31) to the kernel's internal
    /// encoding in sb->s_dev (major &lt;&lt; 20 | minor).</summary>
    public static uint KernelDevice(ulong dev)
    {
        var major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL);
        var minor = (dev & 0xff) | ((dev >> 12) & ~0xffUL);
        return (uint)((major << 20) | minor);
    }
}
