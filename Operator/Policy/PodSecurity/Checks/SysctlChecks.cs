using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity.Checks;

/// <summary>upstream check_sysctls.go: spec.securityContext.sysctls names must be in the safe set of the policy
/// version. The set grows: v1.0 five names, v1.27 + ip_local_reserved_ports, v1.29 + tcp_keepalive_time,
/// tcp_fin_timeout, tcp_keepalive_intvl, tcp_keepalive_probes, v1.32 + tcp_rmem, tcp_wmem, v1.37 +
/// tcp_slow_start_after_idle, tcp_notsent_lowat (the kubelet's safe sysctls of the same releases).</summary>
internal static class SysctlChecks
{
    private static readonly (int Since, byte[] Name)[] Safe =
    [
        (0, "kernel.shm_rmid_forced"u8.ToArray()),
        (0, "net.ipv4.ip_local_port_range"u8.ToArray()),
        (0, "net.ipv4.tcp_syncookies"u8.ToArray()),
        (0, "net.ipv4.ping_group_range"u8.ToArray()),
        (0, "net.ipv4.ip_unprivileged_port_start"u8.ToArray()),
        (27, "net.ipv4.ip_local_reserved_ports"u8.ToArray()),
        (29, "net.ipv4.tcp_keepalive_time"u8.ToArray()),
        (29, "net.ipv4.tcp_fin_timeout"u8.ToArray()),
        (29, "net.ipv4.tcp_keepalive_intvl"u8.ToArray()),
        (29, "net.ipv4.tcp_keepalive_probes"u8.ToArray()),
        (32, "net.ipv4.tcp_rmem"u8.ToArray()),
        (32, "net.ipv4.tcp_wmem"u8.ToArray()),
        (37, "net.ipv4.tcp_slow_start_after_idle"u8.ToArray()),
        (37, "net.ipv4.tcp_notsent_lowat"u8.ToArray()),
    ];

    public static bool V1_0(PodFacts f, PssFinding? finding) => Check(f, finding, 0);
    public static bool V1_27(PodFacts f, PssFinding? finding) => Check(f, finding, 27);
    public static bool V1_29(PodFacts f, PssFinding? finding) => Check(f, finding, 29);
    public static bool V1_32(PodFacts f, PssFinding? finding) => Check(f, finding, 32);
    public static bool V1_37(PodFacts f, PssFinding? finding) => Check(f, finding, 37);

    private static bool IsSafe(ReadOnlySpan<byte> name, int minor)
    {
        foreach (var (since, safe) in Safe)
            if (since <= minor && name.SequenceEqual(safe)) return true;
        return false;
    }

    private static bool Check(PodFacts f, PssFinding? finding, int minor)
    {
        List<string>? bad = null;
        foreach (var sysctl in f.Sysctls.AsSpan())
        {
            if (IsSafe(f.Text(sysctl.Name), minor)) continue;
            if (finding is null) return true;
            (bad ??= []).Add(f.String(sysctl.Name));
        }
        return bad is not null && finding!.Fail("forbidden sysctls", string.Join(", ", bad));
    }

    public static void LocateV1_0(PodFacts f, PssOffenders offenders) => Locate(f, offenders, 0);
    public static void LocateV1_27(PodFacts f, PssOffenders offenders) => Locate(f, offenders, 27);
    public static void LocateV1_29(PodFacts f, PssOffenders offenders) => Locate(f, offenders, 29);
    public static void LocateV1_32(PodFacts f, PssOffenders offenders) => Locate(f, offenders, 32);
    public static void LocateV1_37(PodFacts f, PssOffenders offenders) => Locate(f, offenders, 37);

    /// <summary>One offender per unsafe sysctl (Item: index in <see cref="PodFacts.Sysctls"/>).</summary>
    private static void Locate(PodFacts f, PssOffenders offenders, int minor)
    {
        var sysctls = f.Sysctls.AsSpan();
        for (var s = 0; s < sysctls.Length; s++)
            if (!IsSafe(f.Text(sysctls[s].Name), minor)) offenders.Add(-1, PssField.Sysctl, s, sysctls[s].Name);
    }
}
