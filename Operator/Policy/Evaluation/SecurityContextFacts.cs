namespace SecurityOperator.Policy.Evaluation;

/// <summary>The security-relevant fields of a PodSecurityContext or SecurityContext. Null means "not set", which matters:
/// container values override pod values only when set. Capability names live in <see cref="PodFacts.Capabilities"/>.</summary>
public struct SecurityContextFacts
{
    public bool Present;
    public bool? RunAsNonRoot;
    public long? RunAsUser;
    public bool? Privileged;
    public bool? AllowPrivilegeEscalation;
    public bool? ReadOnlyRootFilesystem;
    public bool? WindowsHostProcess;
    public TextRange ProcMount;
    public bool HasSeccompProfile;
    public TextRange SeccompType;
    public bool HasAppArmorProfile;
    public TextRange AppArmorType;
    public bool HasSeLinuxOptions;
    public TextRange SeLinuxType, SeLinuxUser, SeLinuxRole;
    public bool HasCapabilities;
    public bool HasAdd, HasDrop;
    public int AddStart, AddCount, DropStart, DropCount;

    public static SecurityContextFacts Empty => new()
    {
        ProcMount = TextRange.None, SeccompType = TextRange.None, AppArmorType = TextRange.None,
        SeLinuxType = TextRange.None, SeLinuxUser = TextRange.None, SeLinuxRole = TextRange.None,
    };
}
