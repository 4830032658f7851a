using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity.Checks;

/// <summary>upstream check_capabilities_baseline.go (v1.0) and check_capabilities_restricted.go (v1.22, and v1.25
/// which exempts pods with spec.os.name=windows).</summary>
internal static class CapabilityChecks
{
    // capabilities_allowed_1_0: the container runtimes' default set minus NET_RAW; unchanged since v1.0.
    private static readonly byte[][] BaselineAllowed =
    [
        "AUDIT_WRITE"u8.ToArray(), "CHOWN"u8.ToArray(), "DAC_OVERRIDE"u8.ToArray(), "FOWNER"u8.ToArray(),
        "FSETID"u8.ToArray(), "KILL"u8.ToArray(), "MKNOD"u8.ToArray(), "NET_BIND_SERVICE"u8.ToArray(),
        "SETFCAP"u8.ToArray(), "SETGID"u8.ToArray(), "SETPCAP"u8.ToArray(), "SETUID"u8.ToArray(), "SYS_CHROOT"u8.ToArray(),
    ];

    private static bool IsBaselineAllowed(ReadOnlySpan<byte> capability)
    {
        foreach (var allowed in BaselineAllowed)
            if (capability.SequenceEqual(allowed)) return true;
        return false;
    }

    /// <summary>capabilities_baseline, v1.0: capabilities.add may only hold the default set above.</summary>
    public static bool Baseline(PodFacts f, PssFinding? finding)
    {
        List<string>? bad = null;
        SortedSet<string>? capabilities = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            var badContainer = false;
            foreach (var capability in f.CapabilitiesAdded(c.SecurityContext))
            {
                if (IsBaselineAllowed(f.Text(capability))) continue;
                if (finding is null) return true;
                badContainer = true;
                (capabilities ??= new(StringComparer.Ordinal)).Add(f.String(capability));
            }
            if (badContainer) (bad ??= []).Add(f.String(c.Name));
        }
        return bad is not null && finding!.Fail("non-default capabilities",
            $"{PssFinding.Containers(bad)} must not include {PssFinding.JoinQuote(capabilities!)} in securityContext.capabilities.add");
    }

    /// <summary>capabilities_restricted, v1.22: every container must drop "ALL" and may add only NET_BIND_SERVICE.</summary>
    public static bool Restricted(PodFacts f, PssFinding? finding)
    {
        List<string>? missingDrop = null, badAdd = null;
        SortedSet<string>? added = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            var dropsAll = false;
            foreach (var capability in f.CapabilitiesDropped(c.SecurityContext))
                if (f.TextEquals(capability, "ALL"u8)) { dropsAll = true; break; }
            if (!dropsAll)
            {
                if (finding is null) return true;
                (missingDrop ??= []).Add(f.String(c.Name));
            }
            var addsOther = false;
            foreach (var capability in f.CapabilitiesAdded(c.SecurityContext))
            {
                if (f.TextEquals(capability, "NET_BIND_SERVICE"u8)) continue;
                if (finding is null) return true;
                addsOther = true;
                (added ??= new(StringComparer.Ordinal)).Add(f.String(capability));
            }
            if (addsOther) (badAdd ??= []).Add(f.String(c.Name));
        }
        if (missingDrop is null && badAdd is null) return false;
        var details = new List<string>(2);
        if (missingDrop is not null) details.Add($"{PssFinding.Containers(missingDrop)} must set securityContext.capabilities.drop=[\"ALL\"]");
        if (badAdd is not null) details.Add($"{PssFinding.Containers(badAdd)} must not include {PssFinding.JoinQuote(added!)} in securityContext.capabilities.add");
        return finding!.Fail("unrestricted capabilities", string.Join("; ", details));
    }

    /// <summary>capabilities_restricted, v1.25: as v1.22, but Windows pods are exempt.</summary>
    public static bool RestrictedV1_25(PodFacts f, PssFinding? finding) => !f.IsWindows && Restricted(f, finding);

    /// <summary>One offender per added capability outside the default set.</summary>
    public static void LocateBaseline(PodFacts f, PssOffenders offenders)
    {
        var order = new ContainerOrder(f);
        while (order.MoveNext())
            foreach (var capability in f.CapabilitiesAdded(order.Current.SecurityContext))
                if (!IsBaselineAllowed(f.Text(capability))) offenders.Add(order.Index, PssField.CapabilitiesAdd, -1, capability);
    }

    /// <summary>Per container: a missing drop "ALL", then each added capability other than NET_BIND_SERVICE (the
    /// v1.25 Windows exemption is pod-wide).</summary>
    public static void LocateRestricted(PodFacts f, PssOffenders offenders)
    {
        var order = new ContainerOrder(f);
        while (order.MoveNext())
        {
            ref readonly var sc = ref order.Current.SecurityContext;
            var dropsAll = false;
            foreach (var capability in f.CapabilitiesDropped(sc))
                if (f.TextEquals(capability, "ALL"u8)) { dropsAll = true; break; }
            if (!dropsAll) offenders.Add(order.Index, PssField.CapabilitiesDrop);
            foreach (var capability in f.CapabilitiesAdded(sc))
                if (!f.TextEquals(capability, "NET_BIND_SERVICE"u8)) offenders.Add(order.Index, PssField.CapabilitiesAdd, -1, capability);
        }
    }
}
