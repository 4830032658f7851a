using SecurityOperator.Controllers.Audit;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Tests.Controllers.Audit;

public class FindingSharingTests
{
    private static readonly AuditSubject Unit = new("apps/v1", "Deployment", "team-a", "web", "u-1");

    // A fresh copy each call, as each evaluation formats its own strings.
    private static AuditFindingKey Finding(string rule, string container) =>
        new(PolicyKey.Cluster("baseline"), new string("baseline"), new string(rule), "privileged", Disposition.Deny, new string(container),
            "spec.containers[0].securityContext.privileged", $"container {container} is privileged");

    private static ObjectAudit Pod(string name, params AuditFindingKey[] findings) =>
        new(new AuditSubject("v1", "Pod", "team-a", name, name), Unit, "1", [(PolicyKey.Cluster("baseline"), "no-privileged")], findings, null);

    [Fact]
    public void Replicas_with_equal_findings_share_one_list_of_shared_instances()
    {
        var sharing = new FindingSharing();
        var first = sharing.Share(Pod("web-1", Finding("no-privileged", "app"), Finding("no-root", "app")));
        var second = sharing.Share(Pod("web-2", Finding("no-privileged", "app"), Finding("no-root", "app")));

        Assert.Same(first.Findings, second.Findings);
        Assert.Equal([Finding("no-privileged", "app"), Finding("no-root", "app")], second.Findings);
        Assert.Equal("web-2", second.Subject.Name);
    }

    [Fact]
    public void Different_sets_keep_their_order_and_share_the_findings_they_have_in_common()
    {
        var sharing = new FindingSharing();
        var first = sharing.Share(Pod("web-1", Finding("no-privileged", "app"), Finding("no-root", "app")));
        var other = sharing.Share(Pod("web-2", Finding("no-root", "app"), Finding("no-privileged", "sidecar")));

        Assert.NotSame(first.Findings, other.Findings);
        Assert.Equal([Finding("no-root", "app"), Finding("no-privileged", "sidecar")], other.Findings);
        Assert.Same(first.Findings[1], other.Findings[0]);
    }

    [Fact]
    public void Audits_of_an_earlier_pass_are_the_source_of_the_shared_instances()
    {
        var earlier = new FindingSharing().Share(Pod("web-1", Finding("no-privileged", "app")));
        var sharing = new FindingSharing();
        sharing.Add(earlier);

        var again = sharing.Share(Pod("web-2", Finding("no-privileged", "app")));

        Assert.Same(earlier.Findings, again.Findings);
    }

    [Fact]
    public void An_audit_without_findings_or_with_an_error_is_returned_as_it_is()
    {
        var sharing = new FindingSharing();
        var clean = Pod("web-1");
        var failed = clean with { Error = "not a workload" };

        Assert.Same(clean, sharing.Share(clean));
        Assert.Same(failed, sharing.Share(failed));
    }
    [Fact]
    public void With_a_string_table_passes_over_different_namespaces_share_the_strings_of_equal_findings()
    {
        var strings = new CacheInterning();
        var teamA = new FindingSharing(strings).Share(Pod("web-1", Finding("no-privileged", "app")));
        var teamB = new FindingSharing(strings).Share(Pod("web-1", Finding("no-privileged", "app")));

        var (a, b) = (teamA.Findings[0], teamB.Findings[0]);
        Assert.Equal(Finding("no-privileged", "app"), b);
        Assert.Same(a.Message, b.Message);
        Assert.Same(a.Rule, b.Rule);
        Assert.Same(a.PolicyName, b.PolicyName);
        Assert.Same(a.Container, b.Container);
        Assert.Same(a.Message, strings.String(new string($"container app is privileged")));
    }
}
