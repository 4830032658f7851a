using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Audit;

/// <summary>The policy engine behind <see cref="AuditRunner"/>: picks the policies that target the object's namespace
/// (namespaceSelector against the given namespace labels), evaluates the object with the same evaluator the webhook
/// uses, and turns each violation into a finding. One instance per thread (it reuses its fact and violation buffers).</summary>
public sealed class PolicyEngineEvaluator
{
    /// <summary>Where a manifest without metadata.namespace would land with kubectl apply and no -n.</summary>
    public const string DefaultNamespace = "default";

    private readonly PolicyCatalog _catalog;
    private readonly IReadOnlyDictionary<string, Dictionary<string, string>> _givenLabels;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _labelsByNamespace = new(StringComparer.Ordinal);
    private readonly PodFacts _facts = new();
    private readonly ViolationBuffer _violations = new();

    public PolicyEngineEvaluator(IEnumerable<CompiledPolicy> policies, IReadOnlyDictionary<string, Dictionary<string, string>> namespaceLabels)
    {
        _catalog = new PolicyCatalog(policies);
        _givenLabels = namespaceLabels;
    }

    public WorkloadEvaluation Evaluate(ManifestObject obj)
    {
        var ns = obj.Namespace ?? DefaultNamespace;
        if (!_labelsByNamespace.TryGetValue(ns, out var labels))
            _labelsByNamespace[ns] = labels = NamespaceLabels.For(ns, _givenLabels);
        var policies = _catalog.Select(ns, labels);

        var result = PolicyEvaluator.Evaluate(obj.Json, policies, _facts, _violations, new EvaluationRequest(obj.Kind, ns));
        switch (result.Status)
        {
            case EvaluationStatus.NotAWorkload:
                return WorkloadEvaluation.NotAWorkload;
            case EvaluationStatus.InvalidInput:
                return WorkloadEvaluation.Invalid(result.Error ?? "not a valid object");
        }
        if (!result.HasViolations) return WorkloadEvaluation.Evaluated([]);

        var findings = new List<AuditFinding>(result.ViolationCount);
        foreach (var v in ViolationFormatter.FormatAll(_violations, obj.Json, result, policies, _facts))
            findings.Add(new AuditFinding(obj, v.Policy, v.Rule, v.Container, v.FieldPath, MessageOf(v),
                ActionOf(v.Disposition), SeverityOf(v.Disposition)));
        return WorkloadEvaluation.Evaluated(findings);
    }

    /// <summary>"condition: message; fix: fix", with " (found value)" after the message only when it tells something
    /// new: not for an absent field, a redacted credential, or a value the message already names
    /// ("uses hostPort 2020", "hostNetwork=true"). Container and field have their own columns.</summary>
    internal static string MessageOf(ReportedViolation v) =>
        v.Value is null || v.Value == ViolationFormatter.RedactedValue || Mentions(v.Message, v.Value)
            ? $"{v.Condition}: {v.Message}; fix: {v.Fix}"
            : $"{v.Condition}: {v.Message} (found {v.Value}); fix: {v.Fix}";

    /// <summary>The message contains the value as a whole token (not inside a longer word or number).</summary>
    private static bool Mentions(string message, string value)
    {
        for (var at = message.IndexOf(value, StringComparison.Ordinal); at >= 0; at = message.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            var end = at + value.Length;
            if ((at == 0 || !char.IsLetterOrDigit(message[at - 1])) && (end == message.Length || !char.IsLetterOrDigit(message[end]))) return true;
        }
        return false;
    }

    private static string ActionOf(Disposition disposition) => disposition switch
    {
        Disposition.Deny => AuditActions.Deny,
        Disposition.Warn => AuditActions.Warn,
        Disposition.Audit => AuditActions.DryRun,
        _ => AuditActions.Alert,
    };

    /// <summary>Severity follows what the finding would do at admission: a denial is high, a warning or a dry-run
    /// denial medium, an alert low.</summary>
    private static string SeverityOf(Disposition disposition) => disposition switch
    {
        Disposition.Deny => "high",
        Disposition.Warn or Disposition.Audit => "medium",
        _ => "low",
    };
}
