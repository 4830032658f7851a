using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Controllers.Remediation;

/// <summary>The <c>quarantine</c> remediation action, level-based per namespace: a running pod that violates a rule of an
/// enforce-mode policy whose actions include quarantine is labelled (state in annotations, see
/// <see cref="QuarantineMarks"/>); a quarantine whose deadline passed is lifted; the namespace's deny-all NetworkPolicy
/// exists exactly while some pod carries the label. Running it again on the same state writes nothing.</summary>
public sealed class PodQuarantine
{
    private readonly KubeClient _client;
    private readonly SharedInformer<NetworkPolicy> _networkPolicies;
    private readonly Events.ViolationEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    /// <summary>Marks and lifts this process wrote, by pod uid, until the pod cache shows them. Memory only as a guard
    /// against a stale cache; the state itself is on the pods.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _written = new(StringComparer.Ordinal);

    public PodQuarantine(KubeClient client, SharedInformer<NetworkPolicy> networkPolicies, Events.ViolationEventRecorder events, TimeProvider time,
        ILogger? logger = null)
    {
        _events = events;
        _client = client;
        _networkPolicies = networkPolicies;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The NetworkPolicies this controller manages (by label), so it sees them without a GET per namespace.</summary>
    public static SharedInformer<NetworkPolicy> CreateInformer(KubeClient client, Hosting.Metrics.MetricsRegistry metrics, Kube.Watch.WatcherOptions? watcher) =>
        new(new KubeListerWatcher<NetworkPolicy>(client, KubeResource.NetworkPolicies, null, KubeJsonContext.Default.NetworkPolicy,
                KubeJsonContext.Default.KubeListNetworkPolicy, $"{QuarantineNetworkPolicy.ManagedByLabel}={QuarantineNetworkPolicy.ManagedBy}"),
            new SharedInformerOptions { Metrics = metrics, Watcher = (watcher ?? new Kube.Watch.WatcherOptions()) with { ResourceName = KubeResource.NetworkPolicies.Plural } });

    /// <summary>Quarantines what the audit calls for (only when <paramref name="quarantineNew"/>), lifts what is due and
    /// keeps the NetworkPolicy in step. Returns when the next quarantine of the namespace falls due, else null.</summary>
    public async Task<TimeSpan?> ReconcileAsync(NamespaceAudit audit, IReadOnlyList<Pod> pods, PolicySnapshot policies, bool quarantineNew,
        CancellationToken cancellationToken)
    {
        var ns = audit.Namespace;
        var now = _time.GetUtcNow();
        var byName = pods.ToDictionary(p => p.Metadata.Name ?? "", StringComparer.Ordinal);
        var labelled = new HashSet<string>(pods.Where(QuarantineMarks.IsQuarantined).Select(p => p.Metadata.Name ?? ""), StringComparer.Ordinal);

        if (quarantineNew)
            foreach (var obj in audit.Objects)
            {
                if (!obj.IsPod || !byName.TryGetValue(obj.Subject.Name, out var pod) || !Eligible(pod)) continue;
                if (QuarantineRule(obj, policies) is not { } hit) continue;
                // The pod cache may not show our label yet: never restart a quarantine this process already set.
                if (_written.ContainsKey($"set/{pod.Metadata.Uid}")) { labelled.Add(obj.Subject.Name); continue; }
                var until = hit.Action.Duration is { } d ? now + d : (DateTimeOffset?)null;
                if (await PatchAsync(ns, obj.Subject.Name, QuarantineMarks.SetPatch(hit.PolicyName, hit.Finding.PolicyName, hit.Finding.Rule, now, until), cancellationToken).ConfigureAwait(false))
                {
                    _written[$"set/{pod.Metadata.Uid}"] = 0;
                    labelled.Add(obj.Subject.Name);
                    _logger.LogInformation("Quarantined pod {Namespace}/{Pod} until {Until}: {Policy} rule {Rule}", ns, obj.Subject.Name,
                        until?.ToString("O") ?? "the label is removed", hit.Finding.PolicyName, hit.Finding.Rule);
                    await _events.RecordQuarantineAsync(obj.Unit, obj.Subject, hit.Finding,
                        until is { } u ? QuarantineMarks.Stamp(u) : "the label is removed", cancellationToken).ConfigureAwait(false);
                }
            }

        TimeSpan? next = null;
        foreach (var pod in pods.Where(QuarantineMarks.IsQuarantined))
        {
            var name = pod.Metadata.Name ?? "";
            var until = QuarantineMarks.UntilOf(pod, out var valid);
            if (!valid)
            {
                _logger.LogWarning("Pod {Namespace}/{Pod}: annotation {Annotation} is not an RFC 3339 UTC time; the quarantine is left in place",
                    ns, name, QuarantineMarks.Until);
                continue;
            }
            if (until is null) continue;
            if (until > now)
            {
                var wait = until.Value - now;
                next = next is null || wait < next ? wait : next;
                continue;
            }
            labelled.Remove(name);
            if (_written.ContainsKey($"lift/{pod.Metadata.Uid}")) continue;
            var lifted = await PatchAsync(ns, name, QuarantineMarks.LiftPatch(now), cancellationToken).ConfigureAwait(false);
            _written[$"lift/{pod.Metadata.Uid}"] = 0;
            if (lifted)
                _logger.LogInformation("Lifted the quarantine of pod {Namespace}/{Pod} (due {Until})", ns, name, until.Value.ToString("O"));
        }

        await SyncNetworkPolicyAsync(ns, labelled.Count > 0, cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <summary>A running pod never quarantined before (a lifted one is not quarantined again: its violation cannot change).</summary>
    private static bool Eligible(Pod pod) =>
        pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed")
        && !QuarantineMarks.IsQuarantined(pod) && !QuarantineMarks.WasLifted(pod);

    /// <summary>The first finding on the pod that, in a policy in enforce mode, calls for quarantine (its rule's action,
    /// or the policy's automatic spec.remediation for a deny violation; see <see cref="RemediationRules"/>).</summary>
    internal static (AuditFindingKey Finding, string PolicyName, QuarantineAction Action)? QuarantineRule(ObjectAudit obj, PolicySnapshot policies)
    {
        foreach (var finding in obj.Findings)
        {
            if (policies.Get(finding.Policy)?.Compiled is not { Mode: EnforcementMode.Enforce } policy) continue;
            if (RemediationRules.QuarantineFor(finding, policy) is { } action) return (finding, policy.Name, action);
        }
        return null;
    }

    /// <summary>False when the pod is gone (nothing left to mark or lift).</summary>
    private async Task<bool> PatchAsync(string ns, string name, byte[] patch, CancellationToken cancellationToken)
    {
        try
        {
            await _client.PatchAsync(KubeResource.Pods, ns, name, PatchType.Merge, patch, KubeJsonContext.Default.Pod, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (KubeNotFoundException)
        {
            return false;
        }
    }

    private async Task SyncNetworkPolicyAsync(string ns, bool wanted, CancellationToken cancellationToken)
    {
        var existing = _networkPolicies.Get(ns, QuarantineNetworkPolicy.Name);
        if (wanted && existing is null)
        {
            try
            {
                await _client.CreateAsync(KubeResource.NetworkPolicies, ns, QuarantineNetworkPolicy.For(ns), KubeJsonContext.Default.NetworkPolicy,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Created NetworkPolicy {Namespace}/{Name} (deny all for quarantined pods)", ns, QuarantineNetworkPolicy.Name);
            }
            catch (KubeAlreadyExistsException)
            {
                // Created already; the informer has not delivered it yet.
            }
        }
        else if (!wanted && existing is not null)
        {
            try
            {
                await _client.DeleteAsync(KubeResource.NetworkPolicies, ns, QuarantineNetworkPolicy.Name, KubeJsonContext.Default.NetworkPolicy,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Deleted NetworkPolicy {Namespace}/{Name}: no pod is quarantined any more", ns, QuarantineNetworkPolicy.Name);
            }
            catch (KubeNotFoundException)
            {
            }
        }
    }
}
