using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity.Checks;

/// <summary>Baseline checks on single security-context flags: upstream check_privileged.go,
/// check_windowsHostProcess.go, check_procMount(_baseline).go and check_procMount_restricted.go.</summary>
internal static class ContainerFlagChecks
{
    /// <summary>privileged, v1.0: no container may set securityContext.privileged=true.</summary>
    public static bool Privileged(PodFacts f, PssFinding? finding)
    {
        List<string>? bad = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            if (c.SecurityContext.Privileged != true) continue;
            if (finding is null) return true;
            (bad ??= []).Add(f.String(c.Name));
        }
        return bad is not null && finding!.Fail("privileged", $"{PssFinding.Containers(bad)} must not set securityContext.privileged=true");
    }

    /// <summary>windowsHostProcess, v1.0: neither the pod nor any container may set windowsOptions.hostProcess=true.</summary>
    public static bool WindowsHostProcess(PodFacts f, PssFinding? finding)
    {
        var pod = f.PodSecurityContext.WindowsHostProcess == true;
        if (pod && finding is null) return true;
        List<string>? bad = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            if (c.SecurityContext.WindowsHostProcess != true) continue;
            if (finding is null) return true;
            (bad ??= []).Add(f.String(c.Name));
        }
        if (!pod && bad is null) return false;
        var setters = new List<string>(2);
        if (pod) setters.Add("pod");
        if (bad is not null) setters.Add(PssFinding.Containers(bad));
        return finding!.Fail("hostProcess", $"{string.Join(" and ", setters)} must not set securityContext.windowsOptions.hostProcess=true");
    }

    /// <summary>procMount v1.0 (and procMount_restricted v1.35): procMount must be unset or "Default".</summary>
    public static bool ProcMount(PodFacts f, PssFinding? finding)
    {
        List<string>? bad = null;
        SortedSet<string>? types = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            var procMount = c.SecurityContext.ProcMount;
            if (!procMount.IsPresent || f.TextEquals(procMount, "Default"u8)) continue;
            if (finding is null) return true;
            (bad ??= []).Add(f.String(c.Name));
            (types ??= new(StringComparer.Ordinal)).Add(f.String(procMount));
        }
        return bad is not null && finding!.Fail("procMount",
            $"{PssFinding.Containers(bad)} must not set securityContext.procMount to {PssFinding.JoinQuote(types!)}");
    }

    /// <summary>procMount v1.35 (baseline): pods in a user namespace (hostUsers: false) may use any procMount
    /// (KEP-127 relaxation, unconditional from policy 1.35); otherwise as v1.0.</summary>
    public static bool ProcMountV1_35(PodFacts f, PssFinding? finding) =>
        f.HostUsers != false && ProcMount(f, finding);

    public static void LocatePrivileged(PodFacts f, PssOffenders offenders)
    {
        var order = new ContainerOrder(f);
        while (order.MoveNext())
            if (order.Current.SecurityContext.Privileged == true) offenders.Add(order.Index, PssField.Privileged);
    }

    public static void LocateWindowsHostProcess(PodFacts f, PssOffenders offenders)
    {
        if (f.PodSecurityContext.WindowsHostProcess == true) offenders.Add(-1, PssField.WindowsHostProcess);
        var order = new ContainerOrder(f);
        while (order.MoveNext())
            if (order.Current.SecurityContext.WindowsHostProcess == true) offenders.Add(order.Index, PssField.WindowsHostProcess);
    }

    /// <summary>Every revision of procMount and procMount_restricted (the v1.35 user-namespace exemption is pod-wide).</summary>
    public static void LocateProcMount(PodFacts f, PssOffenders offenders)
    {
        var order = new ContainerOrder(f);
        while (order.MoveNext())
        {
            var procMount = order.Current.SecurityContext.ProcMount;
            if (procMount.IsPresent && !f.TextEquals(procMount, "Default"u8)) offenders.Add(order.Index, PssField.ProcMount, -1, procMount);
        }
    }
}
