using SecurityOperator.Runtime.Bpf;
using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Tests.Runtime;

/// <summary>What the real eBPF tests need, and the reason to skip when it is missing: root (CAP_BPF, CAP_PERFMON,
/// cgroup writes), the kernel's BTF (CO-RE and tp_btf), the embedded object (a build with clang and bpftool), a
/// cgroup v2 mount (pure or hybrid) and libbpf.so for the JIT.</summary>
public static class KernelTestEnvironment
{
    public static void SkipUnlessObject()
    {
        var missing = MissingForObject();
        Skip.If(missing is not null, missing);
    }

    public static void SkipUnlessKernel()
    {
        var missing = MissingForKernel();
        Skip.If(missing is not null, missing);
    }

    public static string? MissingForObject()
    {
        if (!File.Exists("/usr/lib/x86_64-linux-gnu/libbpf.so") && !File.Exists("/usr/lib/aarch64-linux-gnu/libbpf.so"))
            return "libbpf.so not installed (libbpf-dev; scripts/install-prereqs.sh)";
        if (EmbeddedObject.Read() is null) return "this build embeds no eBPF object (bpf/build.sh found no clang, bpftool or kernel BTF)";
        return null;
    }

    public static string? MissingForKernel()
    {
        if (MissingForObject() is { } missing) return missing;
        if (!Environment.IsPrivilegedProcess) return "not root: loading eBPF programs needs CAP_BPF and CAP_PERFMON";
        if (!File.Exists("/sys/kernel/btf/vmlinux")) return "the kernel has no BTF (/sys/kernel/btf/vmlinux)";
        if (CgroupFs.FindV2Mount() is null) return "no cgroup2 filesystem is mounted";
        return null;
    }
}

/// <summary>Tests that load programs into the kernel run one at a time (they count programs and links with bpftool).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection
{
    public const string Name = "kernel";
}
