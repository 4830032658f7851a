using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity.Checks;

/// <summary>Restricted checks: upstream check_restrictedVolumes.go, check_allowPrivilegeEscalation.go,
/// check_runAsNonRoot.go and check_runAsUser.go.</summary>
internal static class RestrictedChecks
{
    // The one revision (v1.0) allows nine sources; "image" was patched into it (1.33 release), so it applies at every
    // policy version.
    private static readonly byte[][] AllowedVolumeTypes =
    [
        "configMap"u8.ToArray(), "csi"u8.ToArray(), "downwardAPI"u8.ToArray(), "emptyDir"u8.ToArray(),
        "ephemeral"u8.ToArray(), "image"u8.ToArray(), "persistentVolumeClaim"u8.ToArray(), "projected"u8.ToArray(),
        "secret"u8.ToArray(),
    ];

    private static bool AllowedVolume(ReadOnlySpan<byte> type)
    {
        foreach (var allowed in AllowedVolumeTypes)
            if (type.SequenceEqual(allowed)) return true;
        return false;
    }

    /// <summary>restrictedVolumes, v1.0: every volume must use an allowed source (a volume without one is "unknown").</summary>
    public static bool RestrictedVolumes(PodFacts f, PssFinding? finding)
    {
        List<string>? bad = null;
        SortedSet<string>? types = null;
        foreach (var volume in f.Volumes.AsSpan())
        {
            var allowed = false;
            foreach (var source in f.SourcesOf(volume)) allowed |= AllowedVolume(f.Text(source));
            if (allowed) continue;
            if (finding is null) return true;
            (bad ??= []).Add(f.String(volume.Name));
            (types ??= new(StringComparer.Ordinal)).Add(volume.Type.IsPresent ? f.String(volume.Type) : "unknown");
        }
        return bad is not null && finding!.Fail("restricted volume types",
            $"{PssFinding.Pluralize("volume", "volumes", bad.Count)} {PssFinding.JoinQuote(bad)} {PssFinding.Pluralize("uses", "use", bad.Count)} {PssFinding.Pluralize("restricted volume type", "restricted volume types", types!.Count)} {PssFinding.JoinQuote(types)}");
    }

    /// <summary>allowPrivilegeEscalation, v1.8: every container must set allowPrivilegeEscalation=false explicitly.</summary>
    public static bool AllowPrivilegeEscalation(PodFacts f, PssFinding? finding)
    {
        List<string>? bad = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            if (c.SecurityContext.AllowPrivilegeEscalation == false) continue;
            if (finding is null) return true;
            (bad ??= []).Add(f.String(c.Name));
        }
        return bad is not null && finding!.Fail("allowPrivilegeEscalation != false",
            $"{PssFinding.Containers(bad)} must set securityContext.allowPrivilegeEscalation=false");
    }

    /// <summary>allowPrivilegeEscalation, v1.25: as v1.8, but Windows pods are exempt.</summary>
    public static bool AllowPrivilegeEscalationV1_25(PodFacts f, PssFinding? finding) => !f.IsWindows && AllowPrivilegeEscalation(f, finding);

    /// <summary>runAsNonRoot, v1.0: runAsNonRoot must be true at pod level (inherited by containers that leave it unset)
    /// or on every container; an explicit false anywhere fails.</summary>
    public static bool RunAsNonRoot(PodFacts f, PssFinding? finding)
    {
        var podValue = f.PodSecurityContext.RunAsNonRoot;
        if (podValue == false && finding is null) return true;
        List<string>? explicitlyBad = null, implicitlyBad = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            var value = c.SecurityContext.RunAsNonRoot;
            if (value == true) continue;
            if (value == false)
            {
                if (finding is null) return true;
                (explicitlyBad ??= []).Add(f.String(c.Name));
            }
            else if (podValue != true)
            {
                if (finding is null) return true;
                (implicitlyBad ??= []).Add(f.String(c.Name));
            }
        }
        if (podValue == false || explicitlyBad is not null)
        {
            var setters = new List<string>(2);
            if (podValue == false) setters.Add("pod");
            if (explicitlyBad is not null) setters.Add(PssFinding.Containers(explicitlyBad));
            return finding!.Fail("runAsNonRoot != true", $"{string.Join(" and ", setters)} must not set securityContext.runAsNonRoot=false");
        }
        return implicitlyBad is not null && finding!.Fail("runAsNonRoot != true",
            $"pod or {PssFinding.Containers(implicitlyBad)} must set securityContext.runAsNonRoot=true");
    }

    /// <summary>runAsNonRoot, v1.35: pods with hostUsers: false (user namespaces, KEP-127) are exempt.</summary>
    public static bool RunAsNonRootV1_35(PodFacts f, PssFinding? finding) => f.HostUsers != false && RunAsNonRoot(f, finding);

    /// <summary>runAsUser, v1.23: neither the pod nor any container may set runAsUser=0 (unset is allowed).</summary>
    public static bool RunAsUser(PodFacts f, PssFinding? finding)
    {
        var podBad = f.PodSecurityContext.RunAsUser == 0;
        if (podBad && finding is null) return true;
        List<string>? bad = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            if (c.SecurityContext.RunAsUser != 0) continue;
            if (finding is null) return true;
            (bad ??= []).Add(f.String(c.Name));
        }
        if (!podBad && bad is null) return false;
        var setters = new List<string>(2);
        if (podBad) setters.Add("pod");
        if (bad is not null) setters.Add(PssFinding.Containers(bad));
        return finding!.Fail("runAsUser=0", $"{string.Join(" and ", setters)} must not set runAsUser=0");
    }

    /// <summary>runAsUser, v1.35: pods with hostUsers: false are exempt.</summary>
    public static bool RunAsUserV1_35(PodFacts f, PssFinding? finding) => f.HostUsers != false && RunAsUser(f, finding);

    /// <summary>One offender per volume without an allowed source (Item: index in <see cref="PodFacts.Volumes"/>;
    /// value: its first source, absent when it has none).</summary>
    public static void LocateRestrictedVolumes(PodFacts f, PssOffenders offenders)
    {
        var volumes = f.Volumes.AsSpan();
        for (var v = 0; v < volumes.Length; v++)
        {
            var allowed = false;
            foreach (var source in f.SourcesOf(volumes[v])) allowed |= AllowedVolume(f.Text(source));
            if (!allowed) offenders.Add(-1, PssField.VolumeSource, v, volumes[v].Type);
        }
    }

    /// <summary>Every revision (the v1.25 Windows exemption is pod-wide).</summary>
    public static void LocateAllowPrivilegeEscalation(PodFacts f, PssOffenders offenders)
    {
        var order = new ContainerOrder(f);
        while (order.MoveNext())
            if (order.Current.SecurityContext.AllowPrivilegeEscalation != false) offenders.Add(order.Index, PssField.AllowPrivilegeEscalation);
    }

    /// <summary>The pod when it sets false, each container that sets false, and each container that leaves it unset
    /// while the pod does too. Containers inheriting the pod's false are covered by the pod's offender.</summary>
    public static void LocateRunAsNonRoot(PodFacts f, PssOffenders offenders)
    {
        var podValue = f.PodSecurityContext.RunAsNonRoot;
        if (podValue == false) offenders.Add(-1, PssField.RunAsNonRoot);
        var order = new ContainerOrder(f);
        while (order.MoveNext())
        {
            var value = order.Current.SecurityContext.RunAsNonRoot;
            if (value == false || (value is null && podValue is null)) offenders.Add(order.Index, PssField.RunAsNonRoot);
        }
    }

    public static void LocateRunAsUser(PodFacts f, PssOffenders offenders)
    {
        if (f.PodSecurityContext.RunAsUser == 0) offenders.Add(-1, PssField.RunAsUser);
        var order = new ContainerOrder(f);
        while (order.MoveNext())
            if (order.Current.SecurityContext.RunAsUser == 0) offenders.Add(order.Index, PssField.RunAsUser);
    }
}
