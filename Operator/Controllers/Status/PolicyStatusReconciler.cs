using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Policy.Api;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Controllers.Status;

/// <summary>Writes the status subresource of each SecurityPolicy / ClusterSecurityPolicy: observedGeneration, the
/// Ready condition (True/Compiled or False/Invalid with the compiler's errors), the number of rules in force, and the
/// counts of matching and violating resources under the policy's mode. Level-based: the desired status is computed
/// from the current state and written (merge patch of /status) only when it differs from the stored one, so a second
/// run changes nothing. A change of the counts alone is written at most once per <c>countsInterval</c>
/// (<see cref="ControllerSettings.StatusCountsInterval"/>): while the first audit walks 100 namespaces every namespace moves the counts of each
/// cluster-wide policy, and writing each step would spend the client's request budget on statuses nobody reads
/// in between. Readiness, generation and rule count changes are written at once.</summary>
public sealed class PolicyStatusReconciler
{
    public const string ReadyCondition = "Ready";
    public const string ReasonCompiled = "Compiled";
    public const string ReasonInvalid = "Invalid";

    private readonly KubeClient _client;
    private readonly SharedInformer<SecurityPolicy> _namespaced;
    private readonly SharedInformer<ClusterSecurityPolicy> _cluster;
    private readonly ClusterPolicyStore _store;
    private readonly PolicyMatchCounts _counts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _countsInterval;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PolicyKey, DateTimeOffset> _lastWrite = new();

    public PolicyStatusReconciler(KubeClient client, SharedInformer<SecurityPolicy> namespaced, SharedInformer<ClusterSecurityPolicy> cluster,
        ClusterPolicyStore store, PolicyMatchCounts counts, TimeProvider? time = null, ILogger? logger = null, TimeSpan countsInterval = default)
    {
        _countsInterval = countsInterval;
        _client = client;
        _namespaced = namespaced;
        _cluster = cluster;
        _store = store;
        _counts = counts;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Whether a write was sent, or when to come back because only the counts changed and the last write was
    /// less than the counts interval ago.</summary>
    public async Task<StatusReconcileOutcome> ReconcileAsync(PolicyKey key, CancellationToken cancellationToken)
    {
        var (metadata, current) = key.IsCluster
            ? _cluster.Get(key.Name) is { } c ? (c.Metadata, c.Status) : (null, null)
            : _namespaced.Get(key.Namespace, key.Name) is { } n ? (n.Metadata, n.Status) : (null, null);
        if (metadata is null)
        {
            _lastWrite.TryRemove(key, out _);
            return StatusReconcileOutcome.Unchanged; // deleted: nothing to write
        }
        var entry = _store.Snapshot.Get(key);
        // The store has not seen this generation yet: its own update will enqueue the key again.
        if (entry is null || entry.Uid != metadata.Uid || entry.Generation != metadata.Generation) return StatusReconcileOutcome.Unchanged;

        var desired = Desired(entry, _counts.For(key), current, _time.GetUtcNow());
        if (Same(desired, current)) return StatusReconcileOutcome.Unchanged;
        var now = _time.GetUtcNow();
        if (SameExceptCounts(desired, current) && _lastWrite.TryGetValue(key, out var last) && now - last < _countsInterval)
            return new StatusReconcileOutcome(false, _countsInterval - (now - last));
        var patch = JsonSerializer.SerializeToUtf8Bytes(new SecurityPolicy { Status = desired }, PolicyJsonContext.Default.SecurityPolicy);
        if (key.IsCluster)
            await _client.PatchStatusAsync(KubeResource.ClusterSecurityPolicies, null, key.Name, PatchType.Merge, patch,
                PolicyJsonContext.Default.ClusterSecurityPolicy, cancellationToken: cancellationToken).ConfigureAwait(false);
        else
            await _client.PatchStatusAsync(KubeResource.SecurityPolicies, key.Namespace, key.Name, PatchType.Merge, patch,
                PolicyJsonContext.Default.SecurityPolicy, cancellationToken: cancellationToken).ConfigureAwait(false);
        _lastWrite[key] = _time.GetUtcNow();
        _logger.LogInformation("{Policy} generation {Generation}: Ready={Ready} ({Reason})", key.ToString(), entry.Generation,
            desired.Conditions![0].Status, desired.Conditions[0].Reason);
        return StatusReconcileOutcome.Written;
    }

    public static SecurityPolicyStatus Desired(PolicyEntry entry, PolicyMatchCounts.Counts counts, SecurityPolicyStatus? current, DateTimeOffset now)
    {
        var ready = entry.IsValid ? "True" : "False";
        var message = entry.IsValid
            ? $"compiled {entry.Compiled!.Rules.Count} rule(s)"
            : string.Join("; ", entry.Errors) + (entry.IsStale ? $" (generation {entry.CompiledGeneration} stays in force)" : " (not enforced)");
        var previous = current?.Conditions?.FirstOrDefault(c => c.Type == ReadyCondition);
        var mode = entry.Compiled?.Mode;
        return new SecurityPolicyStatus
        {
            ObservedGeneration = entry.Generation,
            Conditions =
            [
                new PolicyStatusCondition
                {
                    Type = ReadyCondition,
                    Status = ready,
                    ObservedGeneration = entry.Generation,
                    // metav1.Condition: the time changes only when the status flips.
                    LastTransitionTime = previous?.Status == ready && previous.LastTransitionTime is { } t ? t : Truncate(now),
                    Reason = entry.IsValid ? ReasonCompiled : ReasonInvalid,
                    Message = message,
                },
            ],
            RuleCount = entry.Compiled?.Rules.Count ?? 0,
            Counts = new PolicyCounts
            {
                Evaluated = counts.Matched,
                Denied = mode == EnforcementMode.Enforce ? counts.Violating : 0,
                Warned = mode == EnforcementMode.Warn ? counts.Violating : 0,
                Audited = mode == EnforcementMode.DryRun ? counts.Violating : 0,
            },
        };
    }

    private static bool Same(SecurityPolicyStatus desired, SecurityPolicyStatus? current) =>
        SameExceptCounts(desired, current) &&
        current!.Counts is { } c && c.Evaluated == desired.Counts!.Evaluated && c.Denied == desired.Counts.Denied &&
        c.Warned == desired.Counts.Warned && c.Audited == desired.Counts.Audited;

    private static bool SameExceptCounts(SecurityPolicyStatus desired, SecurityPolicyStatus? current)
    {
        if (current is null) return false;
        var a = desired.Conditions![0];
        var b = current.Conditions?.FirstOrDefault(c => c.Type == ReadyCondition);
        return b is not null && current.ObservedGeneration == desired.ObservedGeneration && current.RuleCount == desired.RuleCount &&
               a.Status == b.Status && a.Reason == b.Reason && a.Message == b.Message && a.ObservedGeneration == b.ObservedGeneration;
    }

    // metav1.Time has second precision on the wire: a finer time would read back different and look like a change.
    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);
}
