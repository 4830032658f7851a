using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity.Checks;

/// <summary>upstream check_seccompProfile_baseline.go (v1.0: the seccomp annotations; v1.19: the seccompProfile
/// fields) and check_seccompProfile_restricted.go (v1.19; v1.25 exempts Windows pods).</summary>
internal static class SeccompChecks
{
    private static ReadOnlySpan<byte> PodAnnotation => "seccomp.security.alpha.kubernetes.io/pod"u8;
    private static ReadOnlySpan<byte> ContainerAnnotationPrefix => "container.seccomp.security.alpha.kubernetes.io/"u8;

    /// <summary>seccompProfile_baseline v1.0: the pod annotation and the container annotations of existing containers
    /// (annotations naming no container are ignored), when present, must be "runtime/default", "docker/default" or
    /// "localhost/..."; anything else, including "unconfined" and "", fails. Fields are not read before 1.19.</summary>
    public static bool BaselineV1_0(PodFacts f, PssFinding? finding)
    {
        List<string>? bad = null;
        foreach (var annotation in f.Annotations.AsSpan())
        {
            var key = f.Text(annotation.Key);
            var applies = key.SequenceEqual(PodAnnotation)
                || (key.StartsWith(ContainerAnnotationPrefix) && NamesContainer(f, key[ContainerAnnotationPrefix.Length..]));
            if (!applies || ValidAnnotation(f.Text(annotation.Value))) continue;
            if (finding is null) return true;
            (bad ??= []).Add($"{f.String(annotation.Key)}=\"{f.String(annotation.Value)}\"");
        }
        return bad is not null && finding!.Fail("seccompProfile",
            $"forbidden {PssFinding.Pluralize("annotation", "annotations", bad.Count)} {string.Join(", ", bad)}");
    }

    private static bool ValidAnnotation(ReadOnlySpan<byte> value) =>
        value.SequenceEqual("runtime/default"u8) || value.SequenceEqual("docker/default"u8) || value.StartsWith("localhost/"u8);

    private static bool NamesContainer(PodFacts f, ReadOnlySpan<byte> name)
    {
        foreach (ref readonly var c in f.Containers.AsSpan())
            if (f.Text(c.Name).SequenceEqual(name)) return true;
        return false;
    }

    /// <summary>A present seccompProfile must have type RuntimeDefault or Localhost (a profile without a type has the
    /// empty type, which is not allowed).</summary>
    private static bool BadProfile(PodFacts f, in SecurityContextFacts sc) => sc.HasSeccompProfile && !ValidRestricted(f, sc.SeccompType);

    /// <summary>seccompProfile_baseline v1.19: every present seccompProfile (pod and containers) must have type
    /// RuntimeDefault or Localhost; unset is allowed.</summary>
    public static bool BaselineV1_19(PodFacts f, PssFinding? finding)
    {
        var podBad = BadProfile(f, f.PodSecurityContext);
        if (podBad && finding is null) return true;
        List<string>? bad = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            if (!BadProfile(f, c.SecurityContext)) continue;
            if (finding is null) return true;
            (bad ??= []).Add(f.String(c.Name));
        }
        if (!podBad && bad is null) return false;
        var setters = new List<string>(2);
        if (podBad) setters.Add("pod");
        if (bad is not null) setters.Add(PssFinding.Containers(bad));
        var types = new SortedSet<string>(StringComparer.Ordinal);
        if (podBad) types.Add(f.String(f.PodSecurityContext.SeccompType));
        foreach (ref readonly var c in new ContainerOrder(f))
            if (BadProfile(f, c.SecurityContext)) types.Add(f.String(c.SecurityContext.SeccompType));
        return finding!.Fail("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {PssFinding.JoinQuote(types)}");
    }

    private static bool ValidRestricted(PodFacts f, TextRange type) =>
        f.TextEquals(type, "RuntimeDefault"u8) || f.TextEquals(type, "Localhost"u8);

    /// <summary>seccompProfile_restricted v1.19: the pod, or every container, must set seccompProfile.type to
    /// RuntimeDefault or Localhost; an explicitly set other type fails even when the pod level is valid.</summary>
    public static bool RestrictedV1_19(PodFacts f, PssFinding? finding)
    {
        var podType = f.PodSecurityContext.SeccompType;
        var podSet = f.PodSecurityContext.HasSeccompProfile;
        var podValid = podSet && ValidRestricted(f, podType);
        if (podSet && !podValid && finding is null) return true;
        List<string>? explicitlyBad = null, implicitlyBad = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            var type = c.SecurityContext.SeccompType;
            if (c.SecurityContext.HasSeccompProfile)
            {
                if (ValidRestricted(f, type)) continue;
                if (finding is null) return true;
                (explicitlyBad ??= []).Add(f.String(c.Name));
            }
            else if (!podValid)
            {
                if (finding is null) return true;
                (implicitlyBad ??= []).Add(f.String(c.Name));
            }
        }
        var podBad = podSet && !podValid;
        if (!podBad && explicitlyBad is null && implicitlyBad is null) return false;
        var details = new List<string>(2);
        if (podBad || explicitlyBad is not null)
        {
            var setters = new List<string>(2);
            if (podBad) setters.Add("pod");
            if (explicitlyBad is not null) setters.Add(PssFinding.Containers(explicitlyBad));
            var badTypes = new SortedSet<string>(StringComparer.Ordinal);
            if (podBad) badTypes.Add(f.String(podType));
            foreach (ref readonly var c in new ContainerOrder(f))
                if (BadProfile(f, c.SecurityContext)) badTypes.Add(f.String(c.SecurityContext.SeccompType));
            // Upstream reports explicit setters alone when there are any.
            return finding!.Fail("seccompProfile", $"{string.Join(" and ", setters)} must not set securityContext.seccompProfile.type to {PssFinding.JoinQuote(badTypes)}");
        }
        if (implicitlyBad is not null)
            details.Add($"pod or {PssFinding.Containers(implicitlyBad)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
        return finding!.Fail("seccompProfile", string.Join("; ", details));
    }

    /// <summary>seccompProfile_restricted v1.25: as v1.19, but Windows pods are exempt.</summary>
    public static bool RestrictedV1_25(PodFacts f, PssFinding? finding) => !f.IsWindows && RestrictedV1_19(f, finding);

    /// <summary>v1.0: the forbidden annotations (Item: index in <see cref="PodFacts.Annotations"/>; the container is
    /// the one a container annotation names).</summary>
    public static void LocateBaselineV1_0(PodFacts f, PssOffenders offenders)
    {
        var annotations = f.Annotations.AsSpan();
        for (var a = 0; a < annotations.Length; a++)
        {
            var key = f.Text(annotations[a].Key);
            var container = -1;
            if (key.StartsWith(ContainerAnnotationPrefix))
            {
                container = f.ContainerNamed(key[ContainerAnnotationPrefix.Length..]);
                if (container < 0) continue;
            }
            else if (!key.SequenceEqual(PodAnnotation)) continue;
            if (!ValidAnnotation(f.Text(annotations[a].Value))) offenders.Add(container, PssField.SeccompAnnotation, a, annotations[a].Value);
        }
    }

    /// <summary>v1.19: every present profile with a forbidden type.</summary>
    public static void LocateBaselineV1_19(PodFacts f, PssOffenders offenders)
    {
        if (BadProfile(f, f.PodSecurityContext)) offenders.Add(-1, PssField.SeccompProfile, -1, f.PodSecurityContext.SeccompType);
        var order = new ContainerOrder(f);
        while (order.MoveNext())
            if (BadProfile(f, order.Current.SecurityContext))
                offenders.Add(order.Index, PssField.SeccompProfile, -1, order.Current.SecurityContext.SeccompType);
    }

    /// <summary>Restricted, every revision: a forbidden pod profile, each container's forbidden profile, and each
    /// container that has none while the pod has none either (absent value). Containers that inherit a forbidden pod
    /// profile are covered by the pod's offender: fixing the pod fixes them.</summary>
    public static void LocateRestricted(PodFacts f, PssOffenders offenders)
    {
        ref readonly var pod = ref f.PodSecurityContext;
        if (BadProfile(f, pod)) offenders.Add(-1, PssField.SeccompProfile, -1, pod.SeccompType);
        var order = new ContainerOrder(f);
        while (order.MoveNext())
        {
            ref readonly var sc = ref order.Current.SecurityContext;
            if (sc.HasSeccompProfile ? !ValidRestricted(f, sc.SeccompType) : !pod.HasSeccompProfile)
                offenders.Add(order.Index, PssField.SeccompProfile, -1, sc.SeccompType);
        }
    }
}
