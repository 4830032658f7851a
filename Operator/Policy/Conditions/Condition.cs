using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>A compiled condition: immutable parameters plus the decision over collected facts. The set of subclasses
/// is closed (internal constructor); each kind lives in its own file with its documented semantics.</summary>
public abstract class Condition
{
    private protected Condition(ConditionKind kind) => Kind = kind;

    public ConditionKind Kind { get; }

    /// <summary>Writes one violation per finding through <paramref name="context"/>; must not allocate.</summary>
    public abstract void Evaluate(ref ConditionContext context);

    /// <summary>The message and the fix of one of this condition's violations (allocates; only for reporting).</summary>
    public abstract (string Message, string Fix) Describe(in Violation violation, PodFacts facts);

    /// <summary>Whether this violation is only ever a warning, even in an enforcing policy with a deny action (e.g. an
    /// imageSignature registry error under failurePolicy: ignore).</summary>
    public virtual bool WarnsOnly(in Violation violation) => false;
}

/// <summary>What a condition sees while evaluating: the facts and where its violations go.</summary>
public ref struct ConditionContext
{
    public ConditionContext(PodFacts facts, ViolationBuffer sink, int policyIndex, int ruleIndex, int conditionIndex)
    {
        Facts = facts;
        Sink = sink;
        PolicyIndex = policyIndex;
        RuleIndex = ruleIndex;
        ConditionIndex = conditionIndex;
    }

    public PodFacts Facts { get; }
    public ViolationBuffer Sink { get; }
    public int PolicyIndex { get; }
    public int RuleIndex { get; }
    public int ConditionIndex { get; }
    public int Reported { get; private set; }

    public void Report(ConditionKind kind, int containerIndex, FieldId field, TextRange value, int detail = 0, int item = -1)
    {
        Sink.Add(new Violation(PolicyIndex, RuleIndex, ConditionIndex, kind, containerIndex, field, value, detail, item));
        Reported++;
    }
}
