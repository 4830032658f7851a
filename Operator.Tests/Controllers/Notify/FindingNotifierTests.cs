using System.Text;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Controllers.Notify;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Tests.Controllers.Notify;

public sealed class FindingNotifierTests
{
    private const string Ns = "shop";

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly PolicyKey RuleLevel = PolicyKey.Namespaced(Ns, "rule-level");
    private static readonly PolicyKey PolicyLevel = PolicyKey.Namespaced(Ns, "policy-level");
    private static readonly PolicyKey Silent = PolicyKey.Namespaced(Ns, "silent");

    /// <summary>rule-level: deny+notify rule "a", plain deny rule "b". policy-level: spec.remediation notify, deny rule "a",
    /// alert-only rule "b". silent: deny rule "a" and no notify anywhere.</summary>
    private static PolicySnapshot Policies()
    {
        static PolicyEntry Entry(PolicyKey key, string spec)
        {
            var json = $$"""{"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"{{key.Name}}","namespace":"{{Ns}}"},"spec":{{spec}}}""";
            var compiled = PolicyCompiler.Compile(Encoding.UTF8.GetBytes(json));
            Assert.True(compiled.Succeeded, string.Join("; ", compiled.Errors));
            return new PolicyEntry(key, null, 1, compiled.Policy, 1, []);
        }
        const string Privileged = """[{"privilegedContainer": true}]""";
        return new PolicySnapshot(1, new Dictionary<PolicyKey, PolicyEntry>
        {
            [RuleLevel] = Entry(RuleLevel, $$$"""{"enforcementMode":"warn","rules":[{"name":"a","conditions":{{{Privileged}}},"actions":["deny",{"notify":{"channels":["sec"]}}]},{"name":"b","conditions":{{{Privileged}}},"actions":["deny"]}]}"""),
            [PolicyLevel] = Entry(PolicyLevel, $$$"""{"rules":[{"name":"a","conditions":{{{Privileged}}},"actions":["deny"]},{"name":"b","conditions":{{{Privileged}}},"actions":["alert"]}],"remediation":{"actions":[{"notify":{"channels":["oncall"]}}]}}"""),
            [Silent] = Entry(Silent, $$$"""{"rules":[{"name":"a","conditions":{{{Privileged}}},"actions":["deny"]}]}"""),
        });
    }

    private static readonly AuditSubject Pod = new("v1", "Pod", Ns, "cart", "uid-1");

    private static AuditFindingKey Finding(PolicyKey policy, string rule, Disposition disposition = Disposition.Deny) =>
        new(policy, policy.Name, rule, "privilegedContainer", disposition, "app", "spec.containers[0].securityContext.privileged", "container app is privileged");

    private static NamespaceAudit Audit(params AuditFindingKey[] findings) =>
        new(Ns, 1, [], findings.Length == 0 ? [] : [new UnitAudit(Pod, findings, new HashSet<PolicyKey>(), 0, 1, 1, 0)]);

    [Fact]
    public void Only_rules_or_policies_with_notify_are_sent_a_policy_wide_notify_covers_its_deny_rules_not_its_alerts()
    {
        var sent = new List<NotifyMessage>();
        var notifier = new FindingNotifier(sent.Add, new NotifySettings(), "controller-0", new Clock(DateTimeOffset.UnixEpoch));
        notifier.Notify(Audit(Finding(RuleLevel, "a", Disposition.Warn), Finding(RuleLevel, "b", Disposition.Warn), Finding(PolicyLevel, "a"),
            Finding(PolicyLevel, "b", Disposition.Alert), Finding(Silent, "a")), Policies());

        Assert.Equal([("rule-level", "a", "sec", "warn"), ("policy-level", "a", "oncall", "enforce")],
            sent.Select(m => (m.Policy.Name, m.Rule, m.Channels.Single(), m.EnforcementMode)));
        Assert.Equal(("Pod", "cart", "uid-1", "controller-0"), (sent[0].Object.Kind, sent[0].Object.Name, sent[0].Object.Uid, sent[0].Controller.Instance));
    }

    [Fact]
    public void A_finding_is_sent_once_while_open_again_after_it_was_resolved_and_came_back_and_after_the_renotify_interval()
    {
        var sent = new List<NotifyMessage>();
        var clock = new Clock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var notifier = new FindingNotifier(sent.Add, new NotifySettings { RenotifyInterval = TimeSpan.FromHours(4) }, "c", clock);
        var policies = Policies();
        var open = Audit(Finding(PolicyLevel, "a"));

        Assert.Equal((1, TimeSpan.FromHours(4)), notifier.Notify(open, policies));
        clock.Now += TimeSpan.FromHours(1);
        Assert.Equal((0, TimeSpan.FromHours(3)), notifier.Notify(open, policies));
        Assert.Single(sent);

        clock.Now += TimeSpan.FromHours(3);
        Assert.Equal(1, notifier.Notify(open, policies).Queued);
        Assert.Equal(sent[0].Id, sent[1].Id);
        Assert.Equal(sent[0].Timestamp, sent[1].Timestamp);

        Assert.Equal((0, null), notifier.Notify(Audit(), policies));
        Assert.Equal(1, notifier.Notify(open, policies).Queued);
        Assert.Equal(3, sent.Count);
        Assert.NotEqual(sent[0].Timestamp, sent[2].Timestamp);
    }

    [Fact]
    public void With_renotification_off_an_open_finding_is_sent_once_and_nothing_falls_due()
    {
        var sent = new List<NotifyMessage>();
        var clock = new Clock(DateTimeOffset.UnixEpoch);
        var notifier = new FindingNotifier(sent.Add, new NotifySettings { RenotifyInterval = TimeSpan.Zero }, "c", clock);
        var open = Audit(Finding(PolicyLevel, "a"));
        Assert.Equal((1, null), notifier.Notify(open, Policies()));
        clock.Now += TimeSpan.FromDays(30);
        Assert.Equal((0, null), notifier.Notify(open, Policies()));
        notifier.Forget(Ns);
        Assert.Equal(1, notifier.Notify(open, Policies()).Queued);
    }
}
