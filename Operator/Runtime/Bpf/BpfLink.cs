namespace SecurityOperator.Runtime.Bpf;

/// <summary>An attachment of a program to a hook (libbpf bpf_link). Disposing detaches it: the kernel drops the
/// program once no link and no fd holds it, so a disposed agent leaves nothing attached.</summary>
public sealed class BpfLink : IDisposable
{
    private nint _link;

    internal BpfLink(nint link, string program, string target)
    {
        _link = link;
        Program = program;
        Target = target;
    }

    public string Program { get; }

    /// <summary>What it is attached to, for logs: "tp_btf/sched_process_exec", "cgroup /sys/fs/cgroup/kubepods.slice".</summary>
    public string Target { get; }

    public bool IsAttached => _link != 0;

    public void Dispose()
    {
        var link = Interlocked.Exchange(ref _link, 0);
        if (link != 0) LibBpf.LinkDestroy(link);
    }

    internal static BpfLink Checked(nint link, string program, string target)
    {
        if (link == 0)
            throw new BpfException($"attaching program '{program}' to {target}", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        return new BpfLink(link, program, target);
    }
}
