using System.Text;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>missingResourceLimits / missingResourceRequests: flags each regular and init container that has no
/// resources.limits (requests) entry for a listed resource; <c>true</c> means ["cpu", "memory"] (what the scheduler and
/// the OOM killer use). Ephemeral containers are skipped: the API forbids resources on them.</summary>
public sealed class MissingResourcesCondition : Condition
{
    public static readonly IReadOnlyList<string> DefaultResources = ["cpu", "memory"];

    private readonly byte[][] _resources;

    public MissingResourcesCondition(ConditionKind kind, IReadOnlyList<string> resources) : base(kind)
    {
        if (kind is not (ConditionKind.MissingResourceLimits or ConditionKind.MissingResourceRequests))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a resources condition");
        Resources = resources;
        _resources = resources.Select(r => Encoding.UTF8.GetBytes(r)).ToArray();
    }

    public IReadOnlyList<string> Resources { get; }
    private bool Limits => Kind == ConditionKind.MissingResourceLimits;

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var containers = facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
        {
            if (containers[i].Section == ContainerSection.EphemeralContainers) continue;
            var declared = facts.ResourcesOf(containers[i]);
            for (var r = 0; r < _resources.Length; r++)
                if (!Declares(facts, declared, _resources[r]))
                    context.Report(Kind, i, Limits ? FieldId.ResourceLimits : FieldId.ResourceRequests, TextRange.None, r);
        }
    }

    private bool Declares(PodFacts facts, ReadOnlySpan<ResourceFact> declared, ReadOnlySpan<byte> resource)
    {
        foreach (var fact in declared)
            if (fact.IsLimit == Limits && facts.Text(fact.Name).SequenceEqual(resource)) return true;
        return false;
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts)
    {
        var what = Limits ? "limit" : "request";
        var resource = Resources[violation.Detail];
        return ($"has no {resource} {what}", $"set resources.{what}s.{resource}");
    }
}
