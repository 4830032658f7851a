using System.Text;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>unsafeCapabilities: a list of capability names (written with or without "CAP_", any case). For each
/// container it flags (1) every capability in capabilities.add that is listed, and "ALL" in add (it adds every
/// capability); if "ALL" is listed, every added capability is flagged; (2) every listed capability that the container
/// runtime grants by default (containerd/CRI-O default set: AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL,
/// MKNOD, NET_BIND_SERVICE, NET_RAW, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) and that the container does not drop,
/// by name or with "ALL" (listing "ALL" requires drop: ["ALL"]). <c>true</c> means <see cref="DefaultList"/>.</summary>
public sealed class UnsafeCapabilitiesCondition : Condition
{
    /// <summary>What <c>unsafeCapabilities: true</c> means: capabilities that give host-level power, plus NET_RAW
    /// (granted by default, enables ARP/DNS spoofing).</summary>
    public static readonly IReadOnlyList<string> DefaultList =
        ["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_TIME", "SYS_BOOT", "DAC_READ_SEARCH", "BPF", "PERFMON", "NET_RAW"];

    private static readonly string[] RuntimeDefaults =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    private readonly byte[][] _listed;
    private readonly int[] _mustDrop; // indexes into the list of runtime-default capabilities that must be dropped
    private readonly bool _all;

    public UnsafeCapabilitiesCondition(IReadOnlyList<string> capabilities) : base(ConditionKind.UnsafeCapabilities)
    {
        Capabilities = capabilities.Select(Normalize).Distinct().ToArray();
        _listed = Capabilities.Select(c => Encoding.UTF8.GetBytes(c)).ToArray();
        _all = Capabilities.Contains("ALL");
        _mustDrop = Enumerable.Range(0, Capabilities.Count).Where(i => _all ? Capabilities[i] == "ALL" : RuntimeDefaults.Contains(Capabilities[i])).ToArray();
    }

    public IReadOnlyList<string> Capabilities { get; }

    public static string Normalize(string capability)
    {
        var upper = capability.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
    }

    /// <summary>Equality ignoring ASCII case and a "CAP_" prefix on the pod's side.</summary>
    private static bool Same(ReadOnlySpan<byte> fromPod, ReadOnlySpan<byte> normalized)
    {
        if (fromPod.Length > 4 && Ascii.EqualsIgnoreCase(fromPod[..4], "CAP_"u8)) fromPod = fromPod[4..];
        return Ascii.EqualsIgnoreCase(fromPod, normalized);
    }

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var containers = facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
        {
            ref readonly var sc = ref containers[i].SecurityContext;
            var added = facts.CapabilitiesAdded(sc);
            for (var a = 0; a < added.Length; a++)
            {
                var name = facts.Text(added[a]);
                if (_all || Same(name, "ALL"u8) || IsListed(name)) context.Report(Kind, i, FieldId.CapabilitiesAdd, added[a], 0, a);
            }
            var dropped = facts.CapabilitiesDropped(sc);
            foreach (var m in _mustDrop)
                if (!Drops(facts, dropped, _listed[m])) context.Report(Kind, i, FieldId.CapabilitiesDrop, TextRange.None, 1, m);
        }
    }

    private bool IsListed(ReadOnlySpan<byte> name)
    {
        foreach (var listed in _listed)
            if (Same(name, listed)) return true;
        return false;
    }

    private static bool Drops(PodFacts facts, ReadOnlySpan<TextRange> dropped, ReadOnlySpan<byte> capability)
    {
        foreach (var range in dropped)
        {
            var name = facts.Text(range);
            if (Same(name, "ALL"u8) || Same(name, capability)) return true;
        }
        return false;
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) => violation.Detail == 0
        ? ($"adds capability {facts.String(violation.Value)}", $"remove {facts.String(violation.Value)} from securityContext.capabilities.add")
        : Capabilities[violation.Item] == "ALL"
            ? ("does not drop all capabilities", "set securityContext.capabilities.drop: [\"ALL\"] and add back only what is needed")
            : ($"keeps default capability {Capabilities[violation.Item]} (granted by the runtime unless dropped)", $"add {Capabilities[violation.Item]} (or ALL) to securityContext.capabilities.drop");
}
