using System.Globalization;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity;

/// <summary>Words one <see cref="PssOffender"/>: its field path, the value found, upstream's reason and detail for that
/// one pod or container ("allowPrivilegeEscalation != false (container \"app\" must set
/// securityContext.allowPrivilegeEscalation=false)"), and a concrete fix. Only used when reporting (allocates).</summary>
public static class PssOffenderText
{
    /// <summary>Path from the object's root; <paramref name="prefix"/> is the pod template's (e.g. "spec.template.").</summary>
    public static string FieldPath(in PssOffender o, PodFacts f, string prefix)
    {
        var owner = o.ContainerIndex < 0 ? $"{prefix}spec" : ContainerPath(f, o.ContainerIndex, prefix);
        var securityContext = $"{owner}.securityContext";
        return o.Field switch
        {
            PssField.HostNetwork => $"{prefix}spec.hostNetwork",
            PssField.HostPID => $"{prefix}spec.hostPID",
            PssField.HostIPC => $"{prefix}spec.hostIPC",
            PssField.Privileged => $"{securityContext}.privileged",
            PssField.CapabilitiesAdd => $"{securityContext}.capabilities.add",
            PssField.CapabilitiesDrop => $"{securityContext}.capabilities.drop",
            PssField.HostPathVolume => $"{prefix}spec.volumes[{f.Volumes[o.Item].Index}].hostPath",
            PssField.HostPort => $"{owner}.ports[{f.Ports[o.Item].IndexInContainer}].hostPort",
            PssField.AppArmorProfile => $"{securityContext}.appArmorProfile.type",
            PssField.AppArmorAnnotation or PssField.SeccompAnnotation => $"{prefix}metadata.annotations[{f.String(f.Annotations[o.Item].Key)}]",
            PssField.SeLinuxType => $"{securityContext}.seLinuxOptions.type",
            PssField.SeLinuxUser => $"{securityContext}.seLinuxOptions.user",
            PssField.SeLinuxRole => $"{securityContext}.seLinuxOptions.role",
            PssField.ProcMount => $"{securityContext}.procMount",
            PssField.SeccompProfile => $"{securityContext}.seccompProfile.type",
            PssField.Sysctl => $"{prefix}spec.securityContext.sysctls[{f.Sysctls[o.Item].Index}].name",
            PssField.WindowsHostProcess => $"{securityContext}.windowsOptions.hostProcess",
            PssField.ProbeHost => $"{owner}.{f.ProbeHosts[o.Item].Handler.FieldPath()}.{(f.ProbeHosts[o.Item].TcpSocket ? "tcpSocket" : "httpGet")}.host",
            PssField.VolumeSource => o.Value.IsPresent
                ? $"{prefix}spec.volumes[{f.Volumes[o.Item].Index}].{f.String(o.Value)}"
                : $"{prefix}spec.volumes[{f.Volumes[o.Item].Index}]",
            PssField.AllowPrivilegeEscalation => $"{securityContext}.allowPrivilegeEscalation",
            PssField.RunAsNonRoot => $"{securityContext}.runAsNonRoot",
            _ => $"{securityContext}.runAsUser",
        };
    }

    private static string ContainerPath(PodFacts f, int index, string prefix)
    {
        ref var c = ref f.Containers[index];
        return $"{prefix}spec.{c.Section.FieldName()}[{c.IndexInSection}]";
    }

    /// <summary>The value found, as JSON text; null when the field is absent.</summary>
    public static string? Value(in PssOffender o, PodFacts f)
    {
        if (o.Field == PssField.VolumeSource) return null; // the source is the last segment of the path
        if (o.Value.IsPresent) return $"\"{f.String(o.Value)}\"";
        ref readonly var sc = ref o.ContainerIndex < 0 ? ref f.PodSecurityContext : ref f.Containers[o.ContainerIndex].SecurityContext;
        return o.Field switch
        {
            PssField.HostNetwork or PssField.HostPID or PssField.HostIPC or PssField.Privileged or PssField.WindowsHostProcess => "true",
            PssField.HostPort => f.Ports[o.Item].HostPort.ToString(CultureInfo.InvariantCulture),
            PssField.RunAsUser => "0",
            PssField.AllowPrivilegeEscalation => sc.AllowPrivilegeEscalation == true ? "true" : null,
            PssField.RunAsNonRoot => sc.RunAsNonRoot == false ? "false" : null,
            PssField.CapabilitiesDrop => sc.HasDrop ? JsonList(f, f.CapabilitiesDropped(sc)) : null,
            _ => null,
        };
    }

    private static string JsonList(PodFacts f, ReadOnlySpan<TextRange> items)
    {
        var quoted = new List<string>(items.Length);
        foreach (var item in items) quoted.Add($"\"{f.String(item)}\"");
        return $"[{string.Join(", ", quoted)}]";
    }

    /// <summary>Upstream's "{reason} ({detail})" narrowed to this offender.</summary>
    public static string Message(string checkId, in PssOffender o, PodFacts f)
    {
        var who = o.ContainerIndex < 0 ? "pod" : $"container \"{f.String(f.Containers[o.ContainerIndex].Name)}\"";
        var value = f.String(o.Value);
        return o.Field switch
        {
            PssField.HostNetwork => "host namespaces (hostNetwork=true)",
            PssField.HostPID => "host namespaces (hostPID=true)",
            PssField.HostIPC => "host namespaces (hostIPC=true)",
            PssField.Privileged => $"privileged ({who} must not set securityContext.privileged=true)",
            PssField.CapabilitiesAdd => $"{(checkId == "capabilities_baseline" ? "non-default" : "unrestricted")} capabilities ({who} must not include \"{value}\" in securityContext.capabilities.add)",
            PssField.CapabilitiesDrop => $"unrestricted capabilities ({who} must set securityContext.capabilities.drop=[\"ALL\"])",
            PssField.HostPathVolume => $"hostPath volumes (volume \"{f.String(f.Volumes[o.Item].Name)}\")",
            PssField.HostPort => $"hostPort ({who} uses hostPort {f.Ports[o.Item].HostPort.ToString(CultureInfo.InvariantCulture)})",
            PssField.AppArmorProfile => $"forbidden AppArmor profile ({who}: {value})",
            PssField.AppArmorAnnotation => $"forbidden AppArmor profile ({f.String(f.Annotations[o.Item].Key)}=\"{value}\")",
            PssField.SeLinuxType => $"seLinuxOptions ({who} set forbidden securityContext.seLinuxOptions: type \"{value}\")",
            PssField.SeLinuxUser => $"seLinuxOptions ({who} set forbidden securityContext.seLinuxOptions: user may not be set)",
            PssField.SeLinuxRole => $"seLinuxOptions ({who} set forbidden securityContext.seLinuxOptions: role may not be set)",
            PssField.ProcMount => $"procMount ({who} must not set securityContext.procMount to \"{value}\")",
            PssField.SeccompAnnotation => $"seccompProfile (forbidden annotation {f.String(f.Annotations[o.Item].Key)}=\"{value}\")",
            PssField.SeccompProfile => InheritsSeccomp(o, f)
                ? $"seccompProfile (pod or {who} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")"
                : $"seccompProfile ({who} must not set securityContext.seccompProfile.type to \"{value}\")",
            PssField.Sysctl => $"forbidden sysctls ({value})",
            PssField.WindowsHostProcess => $"hostProcess ({who} must not set securityContext.windowsOptions.hostProcess=true)",
            PssField.ProbeHost => $"probe or lifecycle host ({who} uses probe or lifecycle host \"{value}\")",
            PssField.VolumeSource => $"restricted volume types (volume \"{f.String(f.Volumes[o.Item].Name)}\" uses restricted volume type \"{(o.Value.IsPresent ? value : "unknown")}\")",
            PssField.AllowPrivilegeEscalation => $"allowPrivilegeEscalation != false ({who} must set securityContext.allowPrivilegeEscalation=false)",
            PssField.RunAsNonRoot => SetsRunAsNonRootFalse(o, f)
                ? $"runAsNonRoot != true ({who} must not set securityContext.runAsNonRoot=false)"
                : $"runAsNonRoot != true (pod or {who} must set securityContext.runAsNonRoot=true)",
            _ => $"runAsUser=0 ({who} must not set runAsUser=0)",
        };
    }

    /// <summary>What to write in the manifest. Pod-level settings that would fix every container say so.</summary>
    public static string Fix(string checkId, in PssOffender o, PodFacts f, PodSecurityVersion version)
    {
        var sc = o.ContainerIndex < 0 ? "spec.securityContext" : "securityContext";
        var value = f.String(o.Value);
        return o.Field switch
        {
            PssField.HostNetwork or PssField.HostPID or PssField.HostIPC => $"remove spec.{FieldName(o.Field)} (or set it to false)",
            PssField.Privileged => "remove securityContext.privileged (or set it to false) and add only the capabilities it needs",
            PssField.CapabilitiesAdd => checkId == "capabilities_baseline"
                ? $"remove \"{value}\" from securityContext.capabilities.add (baseline allows only the runtime's default capabilities)"
                : $"remove \"{value}\" from securityContext.capabilities.add (restricted allows only NET_BIND_SERVICE)",
            PssField.CapabilitiesDrop => "drop ALL capabilities: securityContext.capabilities.drop: [\"ALL\"]",
            PssField.HostPathVolume => "replace the hostPath volume by emptyDir, a configMap/secret or a persistentVolumeClaim",
            PssField.HostPort => "remove hostPort or use a Service",
            PssField.AppArmorProfile => $"set {sc}.appArmorProfile.type: RuntimeDefault (or Localhost)",
            PssField.AppArmorAnnotation => "remove the annotation (or set it to \"runtime/default\") and use securityContext.appArmorProfile.type: RuntimeDefault",
            PssField.SeLinuxType => version.Minor >= 31
                ? $"remove {sc}.seLinuxOptions.type or set it to container_t, container_init_t, container_kvm_t or container_engine_t"
                : $"remove {sc}.seLinuxOptions.type or set it to container_t, container_init_t or container_kvm_t",
            PssField.SeLinuxUser => $"remove {sc}.seLinuxOptions.user",
            PssField.SeLinuxRole => $"remove {sc}.seLinuxOptions.role",
            PssField.ProcMount => "remove securityContext.procMount (or set it to Default)",
            PssField.SeccompAnnotation => "remove the annotation (or set it to \"runtime/default\") and use securityContext.seccompProfile.type: RuntimeDefault",
            PssField.SeccompProfile => InheritsSeccomp(o, f)
                ? "set seccompProfile.type: RuntimeDefault (pod securityContext covers every container)"
                : $"set {sc}.seccompProfile.type: RuntimeDefault (or Localhost)",
            PssField.Sysctl => $"remove \"{value}\" from spec.securityContext.sysctls (only the kubelet's safe sysctls are allowed)",
            PssField.WindowsHostProcess => $"remove {sc}.windowsOptions.hostProcess (or set it to false)",
            PssField.ProbeHost => $"remove host from {f.ProbeHosts[o.Item].Handler.FieldPath()}.{(f.ProbeHosts[o.Item].TcpSocket ? "tcpSocket" : "httpGet")} (it defaults to the pod IP)",
            PssField.VolumeSource => "use a configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volume",
            PssField.AllowPrivilegeEscalation => "set securityContext.allowPrivilegeEscalation: false",
            PssField.RunAsNonRoot => SetsRunAsNonRootFalse(o, f)
                ? $"set {sc}.runAsNonRoot: true (and a non-zero runAsUser)"
                : "set runAsNonRoot: true (pod securityContext covers every container)",
            _ => $"set {sc}.runAsUser to a non-zero UID (or remove it and set runAsNonRoot: true)",
        };
    }

    private static string FieldName(PssField field) => field switch
    {
        PssField.HostNetwork => "hostNetwork",
        PssField.HostPID => "hostPID",
        _ => "hostIPC",
    };

    /// <summary>A container without a seccompProfile of its own (it would inherit the pod's, which is unset).</summary>
    private static bool InheritsSeccomp(in PssOffender o, PodFacts f) =>
        o.ContainerIndex >= 0 && !f.Containers[o.ContainerIndex].SecurityContext.HasSeccompProfile;

    /// <summary>The offender sets runAsNonRoot itself (to false), rather than leaving it unset.</summary>
    private static bool SetsRunAsNonRootFalse(in PssOffender o, PodFacts f) =>
        (o.ContainerIndex < 0 ? f.PodSecurityContext : f.Containers[o.ContainerIndex].SecurityContext).RunAsNonRoot == false;
}
