using System.Text;
using SecurityOperator.Controllers.Audit;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Tests.Policy;

namespace SecurityOperator.Tests.Controllers.Audit;

/// <summary>The applied rules an object audit records (the report's pass counts come from them), built in a reused
/// list and shared between consecutive objects with the same applicable rules.</summary>
public sealed class ObjectEvaluatorTests
{
    private static readonly CompiledPolicySet Policies = new([
        PolicyTestKit.Compile("""{"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"everyone"},"spec":{"rules":[{"name":"a","conditions":[{"privilegedContainer":true}],"actions":["deny"]},{"name":"b","conditions":[{"runAsRoot":true}],"actions":["deny"]}]}}"""),
        PolicyTestKit.Compile("""{"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"web-only"},"spec":{"targets":{"podSelector":{"matchLabels":{"app":"web"}}},"rules":[{"name":"c","conditions":[{"hostNetwork":true}],"actions":["deny"]}]}}"""),
    ]);

    private static ObjectAudit Evaluate(ObjectEvaluator evaluator, string name, string? labels)
    {
        var pod = PolicyTestKit.Pod(labels: labels);
        pod["metadata"]!["name"] = name;
        var subject = new AuditSubject("v1", "Pod", "default", name, null);
        return evaluator.Evaluate(Encoding.UTF8.GetBytes(pod.ToJsonString()), subject, subject, "1", Policies);
    }

    private static readonly (PolicyKey, string)[] EveryoneRules = [(PolicyKey.Cluster("everyone"), "a"), (PolicyKey.Cluster("everyone"), "b")];

    [Fact]
    public void Consecutive_objects_with_the_same_rules_share_one_list_and_a_change_of_rules_never_alters_an_earlier_audit()
    {
        var evaluator = new ObjectEvaluator();
        var first = Evaluate(evaluator, "one", null);
        var second = Evaluate(evaluator, "two", null);
        Assert.Equal(EveryoneRules, first.AppliedRules);
        Assert.Same(first.AppliedRules, second.AppliedRules);

        var web = Evaluate(evaluator, "web", """{"app":"web"}""");
        Assert.Equal([.. EveryoneRules, (PolicyKey.Cluster("web-only"), "c")], web.AppliedRules);
        var third = Evaluate(evaluator, "three", null);

        Assert.Equal(EveryoneRules, first.AppliedRules);
        Assert.Equal(3, web.AppliedRules.Count);
        Assert.Equal(EveryoneRules, third.AppliedRules);
        Assert.NotSame(web.AppliedRules, third.AppliedRules);
    }
}
