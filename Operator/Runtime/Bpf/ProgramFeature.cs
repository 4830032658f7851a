namespace SecurityOperator.Runtime.Bpf;

/// <summary>Names the kernel feature behind a program's section, so a failure says what the kernel lacks.</summary>
public static class ProgramFeature
{
    public static string Of(string section) => section switch
    {
        "tp_btf/sys_enter" => "the BTF-typed raw tracepoint sys_enter (tp_btf, kernel 5.5+ with CONFIG_DEBUG_INFO_BTF); " +
                              "without it there are no open, connect or privilege events",
        _ when section.StartsWith("tp_btf/", StringComparison.Ordinal) =>
            "BTF-typed raw tracepoints (tp_btf: BPF_PROG_TYPE_TRACING, kernel 5.5+ with CONFIG_DEBUG_INFO_BTF)",
        _ when section.StartsWith("cgroup/connect", StringComparison.Ordinal) =>
            "cgroup socket-address hooks (BPF_PROG_TYPE_CGROUP_SOCK_ADDR, CONFIG_CGROUP_BPF, cgroup v2)",
        _ => $"the program type of section '{section}'",
    };
}
