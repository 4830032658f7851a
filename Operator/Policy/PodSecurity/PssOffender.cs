using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity;

/// <summary>The field a failed Pod Security check points at; with the offender's container and item it gives the
/// field path (<see cref="PssOffenderText"/>).</summary>
public enum PssField : byte
{
    HostNetwork, HostPID, HostIPC, Privileged, CapabilitiesAdd, CapabilitiesDrop, HostPathVolume, HostPort,
    AppArmorProfile, AppArmorAnnotation, SeLinuxType, SeLinuxUser, SeLinuxRole, ProcMount, SeccompAnnotation,
    SeccompProfile, Sysctl, WindowsHostProcess, ProbeHost, VolumeSource, AllowPrivilegeEscalation, RunAsNonRoot, RunAsUser,
}

/// <summary>One thing that makes a check fail: the pod (<see cref="ContainerIndex"/> -1) or a container (index into
/// <see cref="PodFacts.Containers"/>), the field, an index into the facts list the field lives in (Ports, Volumes,
/// Annotations, Sysctls, ProbeHosts; -1 when none) and the offending text when there is one.</summary>
public readonly record struct PssOffender(int ContainerIndex, PssField Field, int Item, TextRange Value)
{
    /// <summary>Field and item packed into one int (a <see cref="Violation.Item"/>); never negative.</summary>
    public int Packed => ((Item + 1) << 8) | (int)Field;

    public static (PssField Field, int Item) Unpack(int packed) => ((PssField)(packed & 0xFF), (packed >> 8) - 1);
}

/// <summary>Lists every offender of a check that failed. Only called after the check itself said the pod fails
/// (the check stays the one authority on pass/fail), so it need not repeat pod-wide exemptions (Windows pods, user
/// namespaces); it must find at least one offender for every failure (a test runs it over the conformance corpus).</summary>
public delegate void PssLocateFunction(PodFacts facts, PssOffenders offenders);

/// <summary>Reusable offender list (one per evaluating thread): after warm-up, locating offenders allocates nothing.</summary>
public sealed class PssOffenders
{
    private readonly FactList<PssOffender> _items = new(8);

    public int Count => _items.Count;

    public ReadOnlySpan<PssOffender> AsSpan() => _items.AsSpan();

    public void Clear() => _items.Clear();

    public void Add(int containerIndex, PssField field, int item, TextRange value) => _items.Add(new PssOffender(containerIndex, field, item, value));

    public void Add(int containerIndex, PssField field) => _items.Add(new PssOffender(containerIndex, field, -1, TextRange.None));
}
