using System.Text;

namespace SecurityOperator.Policy.Evaluation;

/// <summary>Everything the conditions and Pod Security checks look at, collected in one pass over a pod (or a pod
/// template: metadata + spec). Reused between evaluations (not thread-safe): <see cref="Reset"/> keeps every buffer,
/// so a warmed-up instance collects facts without allocating. Strings are copied unescaped into one byte buffer and
/// addressed by <see cref="TextRange"/>, so comparisons never see JSON escapes and no string objects are created.</summary>
public sealed class PodFacts
{
    private byte[] _text = new byte[4096];
    private int _textLength;

    // metadata
    public TextRange Name = TextRange.None;
    /// <summary>Where metadata.name's last string value lies in the JSON that was read (raw, escapes kept; start -1 when
    /// there is none): a Pod's locator takes its name from here instead of reading the metadata twice.</summary>
    internal int RawNameStart = -1, RawNameLength;
    public TextRange Namespace = TextRange.None;
    public readonly FactList<KeyValueFact> Labels = new(8);
    /// <summary>Only the annotations Pod Security reads (seccomp and AppArmor); others are skipped unread.</summary>
    public readonly FactList<KeyValueFact> Annotations = new(4);

    // spec
    public bool? HostNetwork, HostPID, HostIPC, HostUsers;
    public TextRange OsName = TextRange.None;
    public TextRange ServiceAccountName = TextRange.None;
    /// <summary>spec.imagePullSecrets[].name: read in the same pass so that image signature verification finds the
    /// pod's registry credentials without parsing the pod a second time.</summary>
    public readonly FactList<TextRange> PullSecretNames = new(2);
    public SecurityContextFacts PodSecurityContext = SecurityContextFacts.Empty;
    public readonly FactList<SysctlFact> Sysctls = new(4);
    public readonly FactList<VolumeFact> Volumes = new(8);
    public readonly FactList<TextRange> VolumeSources = new(8);
    public readonly FactList<ContainerFacts> Containers = new(8);
    /// <summary>Bit (1 &lt;&lt; section) set for each <see cref="ContainerSection"/> that has a container, so that
    /// section-ordered walks skip the absent sections (most pods have regular containers only).</summary>
    public int SectionMask;
    public readonly FactList<TextRange> Capabilities = new(16);
    public readonly FactList<PortFact> Ports = new(8);
    public readonly FactList<ResourceFact> Resources = new(16);
    public readonly FactList<EnvFact> Env = new(16);
    public readonly FactList<VolumeMountFact> VolumeMounts = new(16);
    public readonly FactList<ProbeHostFact> ProbeHosts = new(2);

    public void Reset()
    {
        _textLength = 0;
        Name = Namespace = OsName = ServiceAccountName = TextRange.None;
        RawNameStart = -1;
        RawNameLength = 0;
        HostNetwork = HostPID = HostIPC = HostUsers = null;
        SectionMask = 0;
        PodSecurityContext = SecurityContextFacts.Empty;
        Labels.Clear(); Annotations.Clear(); Sysctls.Clear(); Volumes.Clear(); VolumeSources.Clear(); Containers.Clear(); Capabilities.Clear();
        Ports.Clear(); Resources.Clear(); Env.Clear(); VolumeMounts.Clear(); ProbeHosts.Clear(); PullSecretNames.Clear();
    }

    public ReadOnlySpan<byte> Text(TextRange range) => range.IsPresent ? _text.AsSpan(range.Start, range.Length) : default;

    public bool TextEquals(TextRange range, ReadOnlySpan<byte> expected) => range.IsPresent && Text(range).SequenceEqual(expected);

    /// <summary>Decoded string of a range, for messages only (allocates).</summary>
    public string String(TextRange range) => range.IsPresent ? Encoding.UTF8.GetString(Text(range)) : "";

    public bool IsWindows => TextEquals(OsName, "windows"u8);

    public ReadOnlySpan<TextRange> CapabilitiesAdded(in SecurityContextFacts sc) => Capabilities.Slice(sc.AddStart, sc.AddCount);
    public ReadOnlySpan<TextRange> CapabilitiesDropped(in SecurityContextFacts sc) => Capabilities.Slice(sc.DropStart, sc.DropCount);
    public ReadOnlySpan<TextRange> SourcesOf(in VolumeFact v) => VolumeSources.Slice(v.SourceStart, v.SourceCount);
    public ReadOnlySpan<PortFact> PortsOf(in ContainerFacts c) => Ports.Slice(c.PortStart, c.PortCount);
    public ReadOnlySpan<ResourceFact> ResourcesOf(in ContainerFacts c) => Resources.Slice(c.ResourceStart, c.ResourceCount);
    public ReadOnlySpan<EnvFact> EnvOf(in ContainerFacts c) => Env.Slice(c.EnvStart, c.EnvCount);
    public ReadOnlySpan<VolumeMountFact> MountsOf(in ContainerFacts c) => VolumeMounts.Slice(c.MountStart, c.MountCount);
    public ReadOnlySpan<ProbeHostFact> ProbeHostsOf(in ContainerFacts c) => ProbeHosts.Slice(c.ProbeHostStart, c.ProbeHostCount);

    /// <summary>Index in <see cref="Containers"/> of the container called <paramref name="name"/>, or -1.</summary>
    public int ContainerNamed(ReadOnlySpan<byte> name)
    {
        var containers = Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
            if (Text(containers[i].Name).SequenceEqual(name)) return i; // an unnamed container has the empty name, as in Go
        return -1;
    }

    /// <summary>The value of a label, or an absent range.</summary>
    public TextRange Label(ReadOnlySpan<byte> key)
    {
        foreach (var label in Labels.AsSpan())
            if (Text(label.Key).SequenceEqual(key)) return label.Value;
        return TextRange.None;
    }

    /// <summary>Reserves <paramref name="maxLength"/> bytes of text; the caller writes and then commits the real length.</summary>
    internal Span<byte> ReserveText(int maxLength, out int start)
    {
        if (_textLength + maxLength > _text.Length)
            Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + maxLength));
        start = _textLength;
        return _text.AsSpan(_textLength, maxLength);
    }

    internal TextRange CommitText(int start, int length)
    {
        _textLength = start + length;
        return new TextRange(start, length);
    }
}
