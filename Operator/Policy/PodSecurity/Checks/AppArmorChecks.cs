using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity.Checks;

/// <summary>upstream check_appArmorProfile.go (one revision, v1.0, amended in place when the appArmorProfile fields
/// arrived in 1.30, so the fields are checked at every policy version): the pod and container appArmorProfile.type
/// must be RuntimeDefault or Localhost, and the deprecated container.apparmor.security.beta.kubernetes.io/* annotations
/// must be empty, "runtime/default" or "localhost/...".</summary>
internal static class AppArmorChecks
{
    private static ReadOnlySpan<byte> AnnotationPrefix => "container.apparmor.security.beta.kubernetes.io/"u8;

    private static bool ValidField(PodFacts f, in SecurityContextFacts sc) =>
        !sc.HasAppArmorProfile || f.TextEquals(sc.AppArmorType, "RuntimeDefault"u8) || f.TextEquals(sc.AppArmorType, "Localhost"u8);

    private static bool ValidAnnotation(ReadOnlySpan<byte> value) =>
        value.Length == 0 || value.SequenceEqual("runtime/default"u8) || value.StartsWith("localhost/"u8);

    public static bool V1_0(PodFacts f, PssFinding? finding)
    {
        List<string>? bad = null;
        if (!ValidField(f, f.PodSecurityContext))
        {
            if (finding is null) return true;
            (bad ??= []).Add($"pod: {f.String(f.PodSecurityContext.AppArmorType)}");
        }
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            if (ValidField(f, c.SecurityContext)) continue;
            if (finding is null) return true;
            (bad ??= []).Add($"container \"{f.String(c.Name)}\": {f.String(c.SecurityContext.AppArmorType)}");
        }
        foreach (var annotation in f.Annotations.AsSpan())
        {
            if (!f.Text(annotation.Key).StartsWith(AnnotationPrefix) || ValidAnnotation(f.Text(annotation.Value))) continue;
            if (finding is null) return true;
            (bad ??= []).Add($"{f.String(annotation.Key)}=\"{f.String(annotation.Value)}\"");
        }
        return bad is not null && finding!.Fail(PssFinding.Pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", bad.Count), string.Join(", ", bad));
    }

    /// <summary>The pod's and containers' profile types, then the annotations (Item: index in
    /// <see cref="PodFacts.Annotations"/>; the container is the one the annotation names, if any).</summary>
    public static void LocateV1_0(PodFacts f, PssOffenders offenders)
    {
        if (!ValidField(f, f.PodSecurityContext)) offenders.Add(-1, PssField.AppArmorProfile, -1, f.PodSecurityContext.AppArmorType);
        var order = new ContainerOrder(f);
        while (order.MoveNext())
            if (!ValidField(f, order.Current.SecurityContext))
                offenders.Add(order.Index, PssField.AppArmorProfile, -1, order.Current.SecurityContext.AppArmorType);
        var annotations = f.Annotations.AsSpan();
        for (var a = 0; a < annotations.Length; a++)
        {
            var key = f.Text(annotations[a].Key);
            if (!key.StartsWith(AnnotationPrefix) || ValidAnnotation(f.Text(annotations[a].Value))) continue;
            offenders.Add(f.ContainerNamed(key[AnnotationPrefix.Length..]), PssField.AppArmorAnnotation, a, annotations[a].Value);
        }
    }
}
