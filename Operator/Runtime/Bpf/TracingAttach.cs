namespace SecurityOperator.Runtime.Bpf;

/// <summary>Attaches BTF-typed raw tracepoint programs (SEC("tp_btf/NAME"), BPF_PROG_TYPE_TRACING /
/// BPF_TRACE_RAW_TP): typed arguments, direct reads of kernel structs, a link fd the kernel drops on close.</summary>
public static class TracingAttach
{
    public const string SectionPrefix = "tp_btf/";

    public static BpfLink Attach(BpfProgram program)
    {
        if (!program.Section.StartsWith(SectionPrefix, StringComparison.Ordinal))
            throw new ArgumentException($"program '{program.Name}' is in section '{program.Section}', not {SectionPrefix}*", nameof(program));
        return BpfLink.Checked(LibBpf.ProgramAttachTrace(program.Handle), program.Name, program.Section);
    }
}
