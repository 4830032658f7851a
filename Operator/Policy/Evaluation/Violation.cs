using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Policy.Evaluation;

/// <summary>What a violation points at; the formatter turns it into a field path.</summary>
public enum FieldId : byte
{
    None, Image, RunAsNonRoot, RunAsUser, Privileged, AllowPrivilegeEscalation, HostNetwork, HostPID, HostIPC,
    HostPathVolume, VolumeMount, HostPort, SecurityContext, ResourceLimits, ResourceRequests, ReadOnlyRootFilesystem,
    CapabilitiesAdd, CapabilitiesDrop, EnvValue, EnvSecretKeyRef, EnvFromSecret, Labels, Containers, PodSecurityCheck,
}

/// <summary>One finding, as plain data: which policy/rule/condition, which container (index into
/// <see cref="PodFacts.Containers"/>, -1 for the pod), which field, the offending value (a range into the facts' text,
/// or <see cref="TextRange.None"/>), and a condition-specific detail (an item index, a PSS check index...).
/// Strings are only made from it by <see cref="ViolationFormatter"/>.</summary>
public readonly record struct Violation(
    int PolicyIndex, int RuleIndex, int ConditionIndex, ConditionKind Kind, int ContainerIndex, FieldId Field,
    TextRange Value, int Detail, int Item);
