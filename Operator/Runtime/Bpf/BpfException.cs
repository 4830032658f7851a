namespace SecurityOperator.Runtime.Bpf;

/// <summary>A libbpf call failed. The message names what was attempted (program, map, object) and the errno.</summary>
public sealed class BpfException(string message, int errno) : Exception($"{message}: {Describe(errno)}")
{
    public int Errno { get; } = errno;

    internal static string Describe(int errno)
    {
        errno = Math.Abs(errno);
        var name = errno switch
        {
            1 => "EPERM (operation not permitted: needs CAP_BPF + CAP_PERFMON, or root)",
            2 => "ENOENT (no such hook or object in this kernel)",
            7 => "E2BIG (too large for this kernel)",
            13 => "EACCES (refused by the verifier)",
            14 => "EFAULT",
            16 => "EBUSY",
            22 => "EINVAL (the kernel does not accept this program or attach type)",
            95 => "EOPNOTSUPP (not supported by this kernel)",
            524 => "ENOTSUPP (not supported by this kernel)",
            _ => "errno " + errno,
        };
        return name;
    }
}
