using SecurityOperator.Policy.PodSecurity.Checks;

namespace SecurityOperator.Policy.PodSecurity;

/// <summary>Every Pod Security check with its upstream id, level and revisions (kubernetes
/// staging/src/k8s.io/pod-security-admission/policy/check_*.go). Revision boundaries: seccomp fields from 1.19,
/// restricted capabilities from 1.22, runAsUser from 1.23, Windows exemptions from 1.25, sysctls 1.27/1.29/1.32/1.37,
/// container_engine_t 1.31, probe/lifecycle hosts from 1.34, user-namespace relaxations and procMount_restricted 1.35.</summary>
public static class PssRegistry
{
    private static PssVersionedCheck V(int minor, PssCheckFunction check, PssLocateFunction locate) => new(minor, check, locate);

    public static IReadOnlyList<PssCheckDefinition> Checks { get; } =
    [
        // Baseline
        new("hostNamespaces", PodSecurityLevel.Baseline, [V(0, HostChecks.HostNamespaces, HostChecks.LocateHostNamespaces)], []),
        new("privileged", PodSecurityLevel.Baseline, [V(0, ContainerFlagChecks.Privileged, ContainerFlagChecks.LocatePrivileged)], []),
        new("capabilities_baseline", PodSecurityLevel.Baseline, [V(0, CapabilityChecks.Baseline, CapabilityChecks.LocateBaseline)], []),
        new("hostPathVolumes", PodSecurityLevel.Baseline, [V(0, HostChecks.HostPathVolumes, HostChecks.LocateHostPathVolumes)], []),
        new("hostPorts", PodSecurityLevel.Baseline, [V(0, HostChecks.HostPorts, HostChecks.LocateHostPorts)], []),
        new("appArmorProfile", PodSecurityLevel.Baseline, [V(0, AppArmorChecks.V1_0, AppArmorChecks.LocateV1_0)], []),
        new("seLinuxOptions", PodSecurityLevel.Baseline, [V(0, SeLinuxChecks.V1_0, SeLinuxChecks.LocateV1_0), V(31, SeLinuxChecks.V1_31, SeLinuxChecks.LocateV1_31)], []),
        new("procMount", PodSecurityLevel.Baseline, [V(0, ContainerFlagChecks.ProcMount, ContainerFlagChecks.LocateProcMount), V(35, ContainerFlagChecks.ProcMountV1_35, ContainerFlagChecks.LocateProcMount)], []),
        new("seccompProfile_baseline", PodSecurityLevel.Baseline, [V(0, SeccompChecks.BaselineV1_0, SeccompChecks.LocateBaselineV1_0), V(19, SeccompChecks.BaselineV1_19, SeccompChecks.LocateBaselineV1_19)], []),
        new("sysctls", PodSecurityLevel.Baseline, [V(0, SysctlChecks.V1_0, SysctlChecks.LocateV1_0), V(27, SysctlChecks.V1_27, SysctlChecks.LocateV1_27), V(29, SysctlChecks.V1_29, SysctlChecks.LocateV1_29), V(32, SysctlChecks.V1_32, SysctlChecks.LocateV1_32), V(37, SysctlChecks.V1_37, SysctlChecks.LocateV1_37)], []),
        new("windowsHostProcess", PodSecurityLevel.Baseline, [V(0, ContainerFlagChecks.WindowsHostProcess, ContainerFlagChecks.LocateWindowsHostProcess)], []),
        new("hostProbesAndHostLifecycle", PodSecurityLevel.Baseline, [V(34, HostChecks.HostProbesAndHostLifecycle, HostChecks.LocateHostProbesAndHostLifecycle)], []),
        // Restricted
        new("restrictedVolumes", PodSecurityLevel.Restricted, [V(0, RestrictedChecks.RestrictedVolumes, RestrictedChecks.LocateRestrictedVolumes)], ["hostPathVolumes"]),
        new("allowPrivilegeEscalation", PodSecurityLevel.Restricted, [V(8, RestrictedChecks.AllowPrivilegeEscalation, RestrictedChecks.LocateAllowPrivilegeEscalation), V(25, RestrictedChecks.AllowPrivilegeEscalationV1_25, RestrictedChecks.LocateAllowPrivilegeEscalation)], []),
        new("runAsNonRoot", PodSecurityLevel.Restricted, [V(0, RestrictedChecks.RunAsNonRoot, RestrictedChecks.LocateRunAsNonRoot), V(35, RestrictedChecks.RunAsNonRootV1_35, RestrictedChecks.LocateRunAsNonRoot)], []),
        new("runAsUser", PodSecurityLevel.Restricted, [V(23, RestrictedChecks.RunAsUser, RestrictedChecks.LocateRunAsUser), V(35, RestrictedChecks.RunAsUserV1_35, RestrictedChecks.LocateRunAsUser)], []),
        new("seccompProfile_restricted", PodSecurityLevel.Restricted, [V(19, SeccompChecks.RestrictedV1_19, SeccompChecks.LocateRestricted), V(25, SeccompChecks.RestrictedV1_25, SeccompChecks.LocateRestricted)], ["seccompProfile_baseline"]),
        new("capabilities_restricted", PodSecurityLevel.Restricted, [V(22, CapabilityChecks.Restricted, CapabilityChecks.LocateRestricted), V(25, CapabilityChecks.RestrictedV1_25, CapabilityChecks.LocateRestricted)], ["capabilities_baseline"]),
        new("procMount_restricted", PodSecurityLevel.Restricted, [V(35, ContainerFlagChecks.ProcMount, ContainerFlagChecks.LocateProcMount)], ["procMount"]),
    ];
}
