using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Mutation;

public static partial class PatchBuilder
{
    /// <summary>Pod level: runAsNonRoot: true and seccompProfile RuntimeDefault where unset. runAsNonRoot is not added
    /// when the pod or a container sets runAsUser: 0 explicitly: the kubelet would refuse to start it, while the
    /// violation stays reported. Windows pods are left alone (these are Linux fields the API rejects there).</summary>
    private static void HardenPod(PodFacts facts, string prefix, PatchWriter patch)
    {
        var pod = facts.PodSecurityContext;
        var explicitRoot = pod.RunAsUser == 0;
        foreach (ref readonly var c in facts.Containers.AsSpan()) explicitRoot |= c.SecurityContext.RunAsUser == 0;
        var addNonRoot = pod.RunAsNonRoot is null && !explicitRoot;
        var addSeccomp = !pod.HasSeccompProfile;
        if (!pod.Present)
        {
            if (!addNonRoot && !addSeccomp) return;
            patch.Add($"{prefix}/spec/securityContext", w =>
            {
                w.WriteStartObject();
                if (addNonRoot) w.WriteBoolean("runAsNonRoot", true);
                if (addSeccomp) { w.WritePropertyName("seccompProfile"); WriteRuntimeDefault(w); }
                w.WriteEndObject();
            });
            return;
        }
        if (addNonRoot) patch.Add($"{prefix}/spec/securityContext/runAsNonRoot", w => w.WriteBooleanValue(true));
        if (addSeccomp) patch.Add($"{prefix}/spec/securityContext/seccompProfile", WriteRuntimeDefault);
    }

    /// <summary>Container level: allowPrivilegeEscalation: false where unset (not on privileged containers or with
    /// CAP_SYS_ADMIN added: the API server rejects that combination), and "ALL" in capabilities.drop where missing.</summary>
    private static void HardenContainer(PodFacts facts, in ContainerFacts c, string pointer, PatchWriter patch)
    {
        ref readonly var sc = ref c.SecurityContext;
        var addsSysAdmin = false;
        foreach (var capability in facts.CapabilitiesAdded(sc))
            addsSysAdmin |= facts.TextEquals(capability, "SYS_ADMIN"u8) || facts.TextEquals(capability, "CAP_SYS_ADMIN"u8);
        var addEscalation = sc.AllowPrivilegeEscalation is null && sc.Privileged != true && !addsSysAdmin;
        var dropsAll = false;
        foreach (var capability in facts.CapabilitiesDropped(sc)) dropsAll |= facts.TextEquals(capability, "ALL"u8);

        if (!sc.Present)
        {
            patch.Add($"{pointer}/securityContext", w =>
            {
                w.WriteStartObject();
                if (addEscalation) w.WriteBoolean("allowPrivilegeEscalation", false);
                w.WritePropertyName("capabilities");
                WriteDropAll(w);
                w.WriteEndObject();
            });
            return;
        }
        if (addEscalation) patch.Add($"{pointer}/securityContext/allowPrivilegeEscalation", w => w.WriteBooleanValue(false));
        if (dropsAll) return;
        if (!sc.HasCapabilities) patch.Add($"{pointer}/securityContext/capabilities", WriteDropAll);
        else if (!sc.HasDrop) patch.Add($"{pointer}/securityContext/capabilities/drop", w => { w.WriteStartArray(); w.WriteStringValue("ALL"); w.WriteEndArray(); });
        else patch.Add($"{pointer}/securityContext/capabilities/drop/-", w => w.WriteStringValue("ALL"));
    }

    private static void WriteRuntimeDefault(System.Text.Json.Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "RuntimeDefault");
        w.WriteEndObject();
    }

    private static void WriteDropAll(System.Text.Json.Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartArray("drop");
        w.WriteStringValue("ALL");
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
