using Microsoft.Win32.SafeHandles;

namespace SecurityOperator.Runtime.Bpf;

/// <summary>Attaches cgroup programs (SEC("cgroup/connect4") etc.) to a cgroup v2 directory with a BPF link: the
/// program then runs for every process in that cgroup and below it, and leaves when the link is destroyed.</summary>
public static class CgroupAttach
{
    public const string SectionPrefix = "cgroup/";

    public static BpfLink Attach(BpfProgram program, string cgroupDirectory)
    {
        if (!program.Section.StartsWith(SectionPrefix, StringComparison.Ordinal))
            throw new ArgumentException($"program '{program.Name}' is in section '{program.Section}', not {SectionPrefix}*", nameof(program));
        using SafeFileHandle directory = OpenDirectory(cgroupDirectory);
        return BpfLink.Checked(LibBpf.ProgramAttachCgroup(program.Handle, (int)directory.DangerousGetHandle()),
            program.Name, $"{program.Section} on cgroup {cgroupDirectory}");
    }

    private static SafeFileHandle OpenDirectory(string path)
    {
        var fd = Native.Open(path, Native.ORdOnly | Native.ODirectory | Native.OCloexec);
        if (fd < 0)
            throw new BpfException($"opening cgroup directory {path}", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
