namespace SecurityOperator.Runtime.Bpf;

/// <summary>One program of a loaded object, by its C function name and ELF section (which says its type and hook).</summary>
public sealed class BpfProgram
{
    internal BpfProgram(nint handle, string name, string section)
    {
        Handle = handle;
        Name = name;
        Section = section;
    }

    internal nint Handle { get; }

    public string Name { get; }

    /// <summary>e.g. "tp_btf/sched_process_exec", "tracepoint/syscalls/sys_enter_openat", "cgroup/connect4".</summary>
    public string Section { get; }

    /// <summary>The kernel feature the program depends on, for the message when it does not load or attach.</summary>
    public string Feature => ProgramFeature.Of(Section);
}
