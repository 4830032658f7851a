using System.Text;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>hostPath. <c>hostPath: true</c> flags every hostPath volume. The object form
/// <c>{allowedPrefixes: [...], requireReadOnly: bool}</c> flags a hostPath volume whose path is not under an allowed
/// prefix on a path-segment boundary ("/var/log" allows "/var/log/app", not "/var/logs"; a path with a ".." segment is
/// never under a prefix), and with requireReadOnly every container mount of a hostPath volume that is not readOnly.</summary>
public sealed class HostPathCondition : Condition
{
    private readonly byte[][]? _allowed;

    public HostPathCondition(IReadOnlyList<string>? allowedPrefixes, bool requireReadOnly) : base(ConditionKind.HostPath)
    {
        AllowedPrefixes = allowedPrefixes;
        RequireReadOnly = requireReadOnly;
        _allowed = allowedPrefixes?.Select(p => Encoding.UTF8.GetBytes(p.Length > 1 ? p.TrimEnd('/') : p)).ToArray();
    }

    /// <summary>Null: every hostPath volume is flagged (unless only readOnly is required, see the compiler).</summary>
    public IReadOnlyList<string>? AllowedPrefixes { get; }
    public bool RequireReadOnly { get; }
    /// <summary>True for the plain boolean form: any hostPath volume is a violation.</summary>
    public bool ForbidAll => _allowed is null && !RequireReadOnly;

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var volumes = facts.Volumes.AsSpan();
        for (var v = 0; v < volumes.Length; v++)
        {
            ref readonly var volume = ref volumes[v];
            if (!volume.HasHostPath) continue;
            if (ForbidAll || (_allowed is not null && !UnderAllowedPrefix(facts.Text(volume.HostPath))))
                context.Report(Kind, -1, FieldId.HostPathVolume, volume.HostPath, 0, volume.Index);
            if (!RequireReadOnly) continue;
            var containers = facts.Containers.AsSpan();
            for (var i = 0; i < containers.Length; i++)
                foreach (var mount in facts.MountsOf(containers[i]))
                    if (!mount.ReadOnly && facts.Text(mount.Name).SequenceEqual(facts.Text(volume.Name)))
                        context.Report(Kind, i, FieldId.VolumeMount, mount.MountPath, 1, mount.IndexInContainer);
        }
    }

    private bool UnderAllowedPrefix(ReadOnlySpan<byte> path)
    {
        if (path.IndexOf("/.."u8) >= 0 || path.StartsWith(".."u8)) return false;
        if (path.Length > 1 && path[^1] == '/') path = path[..^1];
        foreach (var prefix in _allowed!)
        {
            if (prefix.AsSpan().SequenceEqual("/"u8)) return true;
            if (path.StartsWith(prefix) && (path.Length == prefix.Length || path[prefix.Length] == '/')) return true;
        }
        return false;
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts)
    {
        if (violation.Detail == 1)
            return ($"mounts hostPath volume at \"{facts.String(violation.Value)}\" read-write", "set readOnly: true on the volumeMount");
        // Item is the index in spec.volumes; facts skip null elements, so look the volume up by that index.
        var volume = default(VolumeFact);
        foreach (var candidate in facts.Volumes.AsSpan())
            if (candidate.Index == violation.Item) volume = candidate;
        return ForbidAll
            ? ($"uses hostPath volume \"{facts.String(volume.Name)}\" (path \"{facts.String(volume.HostPath)}\")", "replace the hostPath volume by emptyDir, a configMap/secret or a PersistentVolumeClaim")
            : ($"hostPath volume \"{facts.String(volume.Name)}\" path \"{facts.String(volume.HostPath)}\" is outside the allowed prefixes ({string.Join(", ", AllowedPrefixes!)})", $"use a path under one of: {string.Join(", ", AllowedPrefixes!)}");
    }
}
