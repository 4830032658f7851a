using System.Text;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Detection;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Policies;

/// <summary>The policy side of each event, on the event thread: kills, blocks and alert-only matches the kernel
/// reports under a policy rule's number, and opens of a container's sensitive paths (absolute paths as passed to
/// openat/openat2; relative ones are not judged). Each hit is an alert line and, when the rule asks, a response queued
/// for the API. Nothing allocates unless a rule matches.</summary>
public sealed class RuntimePolicyMatcher(RuntimeRuleTable table, RuntimeMapProgrammer programmer, Detector detector, Action<RuntimeHit>? respond)
{
    private readonly Dictionary<(uint, string), RuntimeRule> _rules = new();

    public void Evaluate(in NodeEvent e, ContainerRef container, PodContainer? pod)
    {
        switch (e.Type)
        {
            case NodeEventType.ExecKilled or NodeEventType.Exec when RuntimeRuleTable.IsPolicyRule(e.Exec.Rule):
            {
                var path = Encoding.UTF8.GetString(e.Exec.FilenameBytes);
                var outcome = e.Type == NodeEventType.ExecKilled ? $"killed exec of {path}" : $"exec of denied {path}";
                Hit(e, container, pod, e.Exec.Rule, outcome, "executable", path);
                break;
            }
            case NodeEventType.ConnectBlocked or NodeEventType.ConnectMatched when RuntimeRuleTable.IsPolicyRule(e.Connect.Rule):
            {
                var destination = Destination(e.Connect);
                var outcome = e.Type == NodeEventType.ConnectBlocked ? $"blocked connect to {destination}" : $"connect to denied {destination}";
                Hit(e, container, pod, e.Connect.Rule, outcome, "destination", destination);
                break;
            }
            case NodeEventType.Open:
                OnOpen(e, container, pod);
                break;
        }
    }

    private void OnOpen(in NodeEvent e, ContainerRef container, PodContainer? pod)
    {
        var sensitive = programmer.SensitivePathsOf(e.CgroupId);
        if (sensitive.Length == 0) return;
        var path = e.Open.PathBytes;
        if (path.IsEmpty || path[0] != (byte)'/') return;
        foreach (var candidate in sensitive)
        {
            if (!Glob.Matches(candidate.Glob, path)) continue;
            var text = Encoding.UTF8.GetString(path);
            Hit(e, container, pod, candidate.Rule, $"open of sensitive {text}", "file", text);
            return;
        }
    }

    private void Hit(in NodeEvent e, ContainerRef container, PodContainer? pod, uint number, string outcome, string kind, string argument)
    {
        if (table.Find(number) is not { } binding) return; // a rule removed since the kernel reported it
        detector.Raise(RuleFor(binding, e.Type), e, container, pod, kind, argument,
            ("policy", binding.Compiled.DisplayName), ("policy.rule", binding.Rule.Name), ("policy.outcome", outcome));
        if (pod is not null) respond?.Invoke(new RuntimeHit(binding, pod, outcome));
    }

    /// <summary>One output rule per policy rule and event type, e.g. "SecurityPolicy shop/egress runtime rule no-metadata:
    /// connect blocked".</summary>
    private RuntimeRule RuleFor(RuntimeRuleBinding binding, NodeEventType type)
    {
        var what = type switch
        {
            NodeEventType.ExecKilled => "denied executable killed",
            NodeEventType.Exec => "denied executable run",
            NodeEventType.ConnectBlocked => "connect blocked",
            NodeEventType.ConnectMatched => "denied connect",
            _ => "sensitive file opened",
        };
        if (_rules.TryGetValue((binding.Number, what), out var rule)) return rule;
        var enforced = type is NodeEventType.ExecKilled or NodeEventType.ConnectBlocked;
        var technique = binding.Rule.Kind switch
        {
            RuntimeRuleKind.Executables => "T1204",
            RuntimeRuleKind.Connect => "T1071",
            _ => "T1005",
        };
        rule = new RuntimeRule($"policy:{binding.Policy}/{binding.Rule.Name}", $"{binding.Compiled.DisplayName} runtime rule {binding.Rule.Name}: {what}",
            enforced ? AlertPriority.Critical : AlertPriority.Warning, technique, binding.Rule.Description ?? what);
        _rules[(binding.Number, what)] = rule;
        return rule;
    }

    private static string Destination(ConnectPayload connect) =>
        connect.Family == ConnectPayload.InterNetwork ? $"{connect.IPAddress}:{connect.Port}" : $"[{connect.IPAddress}]:{connect.Port}";
}
