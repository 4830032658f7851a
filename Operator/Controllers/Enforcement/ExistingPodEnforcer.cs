using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Controllers.Events;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Controllers.Enforcement;

/// <summary>Evicts running pods that violate a deny rule of an enforce-mode policy (only with --enforce-existing),
/// through the Eviction API so PodDisruptionBudgets are respected; never deletes. Pods of a workload are handled once
/// per workload revision (pod-template-hash / controller-revision-hash): the pods violating when the revision is first
/// seen are evicted, and their replacements (same template, same violation) are left to admission, so nothing loops.
/// A budget that blocks (429) is retried later. The workload (or bare pod) gets an Event naming the rule. Revisions
/// handled are remembered in memory: after a restart a revision may be handled once more.</summary>
public sealed class ExistingPodEnforcer
{
    private readonly KubeClient _client;
    private readonly ViolationEventRecorder _events;
    private readonly TimeSpan _retry;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RevisionTargets> _revisions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _done = new(StringComparer.Ordinal);

    public ExistingPodEnforcer(KubeClient client, ViolationEventRecorder events, TimeSpan retry, ILogger? logger = null)
    {
        _client = client;
        _events = events;
        _retry = retry;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Evicts what the audit calls for. Returns when to look again if a budget blocked an eviction, else null.
    /// <paramref name="skip"/> leaves pods to another remediation (quarantine).</summary>
    public async Task<TimeSpan?> EnforceAsync(NamespaceAudit audit, Func<string, Pod?> podByName, CancellationToken cancellationToken,
        Func<ObjectAudit, bool>? skip = null)
    {
        TimeSpan? retry = null;
        foreach (var obj in audit.Objects)
        {
            if (!obj.IsPod || obj.Subject.Uid is null || skip?.Invoke(obj) == true) continue;
            var deny = obj.Findings.FirstOrDefault(f => f.Disposition == Disposition.Deny);
            if (deny is null || _done.ContainsKey(obj.Subject.Uid)) continue;
            var pod = podByName(obj.Subject.Name);
            if (pod is null || pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase is "Succeeded" or "Failed") continue;

            var revision = RevisionOf(pod, obj);
            var targets = _revisions.GetOrAdd(revision, _ => new RevisionTargets());
            lock (targets)
            {
                // The pass that first sees a revision fixes its targets; later pods of the same revision are not evicted.
                if (!targets.Sealed) targets.Pods.Add(obj.Subject.Uid);
                if (!targets.Pods.Contains(obj.Subject.Uid)) continue;
            }
            try
            {
                await _client.EvictAsync(audit.Namespace, obj.Subject.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
                _done[obj.Subject.Uid] = true;
                _logger.LogInformation("Evicted pod {Namespace}/{Pod}: {Policy} rule {Rule}", audit.Namespace, obj.Subject.Name, deny.PolicyName, deny.Rule);
                await _events.RecordEvictionAsync(obj.Unit, obj.Subject, deny, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeTooManyRequestsException e)
            {
                // A PodDisruptionBudget (or API throttling) says not now: try again later, never delete instead.
                _logger.LogInformation("Eviction of {Namespace}/{Pod} refused ({Reason}); retrying later", audit.Namespace, obj.Subject.Name, e.Message);
                var wait = e.RetryAfter ?? _retry;
                retry = retry is null || wait < retry ? wait : retry;
            }
            catch (KubeNotFoundException)
            {
                _done[obj.Subject.Uid] = true;
            }
        }
        foreach (var targets in _revisions.Values)
            lock (targets) targets.Sealed = true;
        return retry;
    }

    private sealed class RevisionTargets
    {
        public HashSet<string> Pods { get; } = new(StringComparer.Ordinal);
        public bool Sealed { get; set; }
    }

    /// <summary>The workload revision a pod belongs to (its unit's uid plus the revision label); a bare pod is its own revision.</summary>
    private static string RevisionOf(Pod pod, ObjectAudit audit)
    {
        if (audit.Unit == audit.Subject) return $"pod/{audit.Subject.Uid}";
        var labels = pod.Metadata.Labels;
        var hash = labels?.GetValueOrDefault("pod-template-hash") ?? labels?.GetValueOrDefault("controller-revision-hash")
                   ?? pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid ?? "";
        return $"{audit.Unit.Uid}/{hash}";
    }
}
