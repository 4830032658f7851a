using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Controllers.Remediation;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Controllers.Notify;

/// <summary>Decides which findings of a namespace audit are notified, level-based and deduplicated: a finding (unit,
/// policy, rule, condition, container, field) whose rule or policy asks for <c>notify</c> is queued when it first
/// appears; while it stays open it is not queued again (reconciles, watch restarts and relists find the same finding),
/// except once per <see cref="NotifySettings.RenotifyInterval"/>; once it is gone from an audit it is forgotten, so it
/// is notified again if it comes back. Findings are per reporting unit: a Deployment's replica pods are one message.
/// The state is memory: a new leader notifies the findings still open once more (<see cref="NotifyMessage.Id"/> is the
/// same, so a receiver can drop the repeat). A namespace is never audited by two workers at once (work queue), so
/// each namespace's map has one writer at a time.</summary>
public sealed class FindingNotifier(Action<NotifyMessage> enqueue, NotifySettings settings, string instance, TimeProvider time)
{
    private sealed record Open(DateTimeOffset FirstSeen, DateTimeOffset LastNotified);

    private readonly ConcurrentDictionary<string, Dictionary<string, Open>> _open = new(StringComparer.Ordinal);

    /// <summary>Queues the messages the audit calls for; returns how many were queued and when the earliest open finding
    /// falls due for a re-notification (null: none, or re-notification is off).</summary>
    public (int Queued, TimeSpan? NextDue) Notify(NamespaceAudit audit, PolicySnapshot policies)
    {
        var now = time.GetUtcNow();
        var before = _open.GetValueOrDefault(audit.Namespace) ?? new Dictionary<string, Open>(StringComparer.Ordinal);
        var after = new Dictionary<string, Open>(StringComparer.Ordinal);
        var queued = 0;
        TimeSpan? next = null;
        foreach (var unit in audit.Units)
            foreach (var finding in unit.Findings)
            {
                if (policies.Get(finding.Policy)?.Compiled is not { } policy) continue;
                if (RemediationRules.NotifyFor(finding, policy) is not { } notify) continue;
                var key = KeyOf(unit.Unit, finding);
                if (after.ContainsKey(key)) continue;
                var open = before.GetValueOrDefault(key);
                var renotify = settings.RenotifyInterval > TimeSpan.Zero;
                if (open is null || (renotify && now - open.LastNotified >= settings.RenotifyInterval))
                {
                    open = new Open(open?.FirstSeen ?? now, now);
                    enqueue(MessageOf(key, unit.Unit, finding, policy, notify, open.FirstSeen));
                    queued++;
                }
                after[key] = open;
                if (renotify)
                {
                    var due = open.LastNotified + settings.RenotifyInterval - now;
                    next = next is null || due < next ? due : next;
                }
            }
        if (after.Count == 0) _open.TryRemove(audit.Namespace, out _);
        else _open[audit.Namespace] = after;
        return (queued, next);
    }

    /// <summary>The namespace is gone: its findings are resolved.</summary>
    public void Forget(string ns) => _open.TryRemove(ns, out _);

    private static string KeyOf(AuditSubject unit, AuditFindingKey f) =>
        string.Join('\u001f', unit.Kind, unit.Namespace, unit.Name, unit.Uid ?? "", f.Policy.ToString(), f.Rule, f.Condition, f.Container ?? "", f.FieldPath);

    private NotifyMessage MessageOf(string key, AuditSubject unit, AuditFindingKey finding, CompiledPolicy policy, NotifyAction notify, DateTimeOffset firstSeen) => new()
    {
        Id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16)),
        Timestamp = firstSeen.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        Cluster = settings.Cluster.Length > 0 ? settings.Cluster : null,
        Controller = new NotifyController(Events.ViolationEventRecorder.ReportingController, instance),
        Policy = new NotifyPolicy(finding.Policy.Kind, finding.Policy.Namespace, finding.Policy.Name),
        Rule = finding.Rule,
        Severity = finding.Severity,
        Action = finding.Disposition == Disposition.Alert ? "alert" : "deny",
        EnforcementMode = policy.Mode switch { EnforcementMode.Enforce => "enforce", EnforcementMode.Warn => "warn", _ => "dryrun" },
        Channels = notify.Channels,
        Object = new NotifyObject(unit.ApiVersion, unit.Kind, unit.Namespace, unit.Name, unit.Uid),
        Container = finding.Container,
        Field = finding.FieldPath,
        Condition = finding.Condition,
        Message = finding.Message,
    };
}
