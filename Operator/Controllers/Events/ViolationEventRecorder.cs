using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Controllers.Events;

/// <summary>events.k8s.io/v1 Warning Events for findings of warn-mode deny rules and alert rules, on the reporting unit
/// (the workload, or the bare pod). One Event per (object, policy, rule, message), named deterministically from that
/// key: re-auditing the same object version records nothing; a new version of the object that still violates
/// counts one more occurrence in the Event's series (a merge patch of series.count and lastObservedTime), as
/// client-go's event recorder does for isomorphic events. After a restart the existing Event is found by its name
/// (409 on create) and adopted, not duplicated.</summary>
public sealed class ViolationEventRecorder
{
    public const string ReportingController = "security.io/security-operator";
    public const string Reason = "PolicyViolation";
    public const string Action = "Audit";

    private readonly KubeClient _client;
    private readonly string _instance;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Occurrence> _seen = new(StringComparer.Ordinal);

    private sealed record Occurrence(string? ResourceVersion, int Count);

    public ViolationEventRecorder(KubeClient client, string instance, TimeProvider? time = null, ILogger? logger = null)
    {
        _client = client;
        _instance = instance;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Records the Events a namespace audit calls for; returns how many API writes were made.</summary>
    public async Task<int> RecordAsync(NamespaceAudit audit, CancellationToken cancellationToken)
    {
        var writes = 0;
        // The unit's own object version: a replica pod coming and going is not a new occurrence for the workload.
        var versions = audit.Objects.Where(o => o.Subject == o.Unit).ToDictionary(o => o.Unit, o => o.ResourceVersion);
        foreach (var unit in audit.Units)
        {
            if (unit.Unit.Uid is null) continue;
            foreach (var finding in unit.Findings)
            {
                if (finding.Disposition is not (Disposition.Warn or Disposition.Alert)) continue;
                var name = EventName(unit.Unit, finding);
                var rv = versions.GetValueOrDefault(unit.Unit);
                if (_seen.TryGetValue($"{unit.Unit.Namespace}/{name}", out var seen))
                {
                    if (seen.ResourceVersion == rv) continue;
                    await PatchSeriesAsync(unit.Unit.Namespace, name, seen.Count + 1, cancellationToken).ConfigureAwait(false);
                    _seen[$"{unit.Unit.Namespace}/{name}"] = new Occurrence(rv, seen.Count + 1);
                    writes++;
                    continue;
                }
                writes += await CreateOrAdoptAsync(unit.Unit, finding, name, rv, cancellationToken).ConfigureAwait(false);
            }
        }
        return writes;
    }

    /// <summary>Records <paramref name="occurrences"/> more occurrences of a finding on <paramref name="subject"/> (the node
    /// agent's runtime rules, where every hit is an occurrence): the first creates the Event (or adopts the one a
    /// previous run left), later ones raise its series count. Returns the API writes made.</summary>
    public async Task<int> RecordOccurrencesAsync(AuditSubject subject, AuditFindingKey finding, int occurrences, CancellationToken cancellationToken)
    {
        var name = EventName(subject, finding);
        var key = $"{subject.Namespace}/{name}";
        var writes = 0;
        if (!_seen.ContainsKey(key))
        {
            writes = await CreateOrAdoptAsync(subject, finding, name, null, cancellationToken).ConfigureAwait(false);
            if (writes == 1) occurrences--; // the new Event is the first occurrence
        }
        if (occurrences <= 0 || !_seen.TryGetValue(key, out var seen)) return writes;
        await PatchSeriesAsync(subject.Namespace, name, seen.Count + occurrences, cancellationToken).ConfigureAwait(false);
        _seen[key] = new Occurrence(null, seen.Count + occurrences);
        return writes + 1;
    }

    private async Task<int> CreateOrAdoptAsync(AuditSubject unit, AuditFindingKey finding, string name, string? rv, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var ev = new Event
        {
            Metadata = new ObjectMeta
            {
                Name = name, Namespace = unit.Namespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "security-operator" },
            },
            EventTime = now,
            ReportingController = ReportingController,
            ReportingInstance = _instance,
            Action = Action,
            Reason = Reason,
            Type = "Warning",
            Regarding = new ObjectReference { ApiVersion = unit.ApiVersion, Kind = unit.Kind, Namespace = unit.Namespace, Name = unit.Name, Uid = unit.Uid },
            Note = Note(finding),
        };
        try
        {
            await _client.CreateAsync(KubeResource.Events, unit.Namespace, ev, KubeJsonContext.Default.Event, cancellationToken: cancellationToken).ConfigureAwait(false);
            _seen[$"{unit.Namespace}/{name}"] = new Occurrence(rv, 1);
            return 1;
        }
        catch (KubeAlreadyExistsException)
        {
            // Recorded by an earlier run of the controller: adopt its count; this version is not a new occurrence.
            var existing = await _client.GetAsync(KubeResource.Events, unit.Namespace, name, KubeJsonContext.Default.Event, cancellationToken).ConfigureAwait(false);
            _seen[$"{unit.Namespace}/{name}"] = new Occurrence(rv, existing.Series?.Count ?? 1);
            return 0;
        }
    }

    private async Task PatchSeriesAsync(string ns, string name, int count, CancellationToken cancellationToken)
    {
        var patch = JsonSerializer.SerializeToUtf8Bytes(new Event
        {
            ApiVersion = null, Kind = null, Metadata = new ObjectMeta(),
            Series = new EventSeries { Count = count, LastObservedTime = _time.GetUtcNow() },
        }, KubeJsonContext.Default.Event);
        await _client.PatchAsync(KubeResource.Events, ns, name, PatchType.Merge, patch, KubeJsonContext.Default.Event,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        _logger.LogDebug("Event {Namespace}/{Name}: occurrence {Count}", ns, name, count);
    }

    /// <summary>A Warning Event (reason Evicted) on the workload or bare pod, naming the pod and the rule; once per pod.</summary>
    public Task RecordEvictionAsync(AuditSubject unit, AuditSubject pod, AuditFindingKey finding, CancellationToken cancellationToken) =>
        RecordPodActionAsync(unit, pod, finding, "Evict", "Evicted", $"evicted pod {pod.Name}", cancellationToken);

    /// <summary>A Warning Event (reason Quarantined) on the workload or bare pod, naming the pod, the deadline and the rule; once per pod.</summary>
    public Task RecordQuarantineAsync(AuditSubject unit, AuditSubject pod, AuditFindingKey finding, string until, CancellationToken cancellationToken) =>
        RecordPodActionAsync(unit, pod, finding, "Quarantine", "Quarantined", $"quarantined pod {pod.Name} until {until}", cancellationToken);

    private async Task RecordPodActionAsync(AuditSubject unit, AuditSubject pod, AuditFindingKey finding, string action, string reason, string what,
        CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{reason.ToLowerInvariant()}\n{pod.Uid}")).AsSpan(0, 8));
        var ev = new Event
        {
            Metadata = new ObjectMeta
            {
                Name = $"{(unit.Name.Length > 200 ? unit.Name[..200] : unit.Name)}.{hash}", Namespace = unit.Namespace,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "security-operator" },
            },
            EventTime = _time.GetUtcNow(),
            ReportingController = ReportingController,
            ReportingInstance = _instance,
            Action = action,
            Reason = reason,
            Type = "Warning",
            Regarding = new ObjectReference { ApiVersion = unit.ApiVersion, Kind = unit.Kind, Namespace = unit.Namespace, Name = unit.Name, Uid = unit.Uid },
            Related = new ObjectReference { ApiVersion = "v1", Kind = "Pod", Namespace = pod.Namespace, Name = pod.Name, Uid = pod.Uid },
            Note = $"{what}: {Note(finding)}" is var n && n.Length <= 1024 ? n : n[..1021] + "...",
        };
        try
        {
            await _client.CreateAsync(KubeResource.Events, unit.Namespace, ev, KubeJsonContext.Default.Event, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (KubeAlreadyExistsException)
        {
        }
    }

    /// <summary>Forgets Events of a namespace that is gone.</summary>
    public void Forget(string @namespace)
    {
        foreach (var key in _seen.Keys.Where(k => k.StartsWith(@namespace + "/", StringComparison.Ordinal)).ToList()) _seen.TryRemove(key, out _);
    }

    // events.k8s.io caps note at 1 kB.
    private static string Note(AuditFindingKey f)
    {
        var note = $"{f.Policy.Kind} {(f.Policy.IsCluster ? f.Policy.Name : $"{f.Policy.Namespace}/{f.Policy.Name}")} rule {f.Rule}" +
                   $"{(f.Container is null ? "" : $" container {f.Container}")} ({f.FieldPath}): {f.Message}";
        return note.Length <= 1024 ? note : note[..1021] + "...";
    }

    /// <summary>"name.0123456789abcdef": stable for the same unit uid, policy, rule, container, field and message.</summary>
    public static string EventName(AuditSubject unit, AuditFindingKey f)
    {
        var key = $"{unit.Uid}\n{f.Policy}\n{f.Rule}\n{f.Container}\n{f.FieldPath}\n{f.Message}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 8));
        var prefix = unit.Name.Length > 200 ? unit.Name[..200] : unit.Name;
        return $"{prefix}.{hash}";
    }
}
