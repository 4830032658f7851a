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
            findings.Add(new AuditFinding(obj, v.Policy, v.Rule, v.Container, v.FieldPath,
                v.Value is null ? $"{v.Condition}: {v.Message}; fix: {v.Fix}" : $"{v.Condition}: {v.Message} (found {v.Value}); fix: {v.Fix}",
                ActionOf(v.Disposition), SeverityOf(v.Disposition)));
        return WorkloadEvaluation.Evaluated(findings);
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
