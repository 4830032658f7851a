using System.Text;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>requiredLabels: flags each listed label key missing from the pod's (or template's) metadata.labels.</summary>
public sealed class RequiredLabelsCondition : Condition
{
    private readonly byte[][] _keys;

    public RequiredLabelsCondition(IReadOnlyList<string> keys) : base(ConditionKind.RequiredLabels)
    {
        Keys = keys;
        _keys = keys.Select(k => Encoding.UTF8.GetBytes(k)).ToArray();
    }

    public IReadOnlyList<string> Keys { get; }

    public override void Evaluate(ref ConditionContext context)
    {
        for (var k = 0; k < _keys.Length; k++)
            if (!context.Facts.Label(_keys[k]).IsPresent) context.Report(Kind, -1, FieldId.Labels, TextRange.None, k);
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        ($"is missing required label \"{Keys[violation.Detail]}\"", $"add metadata.labels.{Keys[violation.Detail]}");
}

/// <summary>maxContainers: flags the pod when it has more regular + init containers than the maximum (ephemeral
/// debug containers are not counted: they are added to running pods on purpose).</summary>
public sealed class MaxContainersCondition(int maximum) : Condition(ConditionKind.MaxContainers)
{
    public int Maximum { get; } = maximum;

    public override void Evaluate(ref ConditionContext context)
    {
        var count = 0;
        foreach (ref readonly var c in context.Facts.Containers.AsSpan())
            if (c.Section != ContainerSection.EphemeralContainers) count++;
        if (count > Maximum) context.Report(Kind, -1, FieldId.Containers, TextRange.None, count);
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) =>
        ($"has {violation.Detail} containers, more than the maximum of {Maximum}", $"split the pod or reduce it to at most {Maximum} containers");
}
