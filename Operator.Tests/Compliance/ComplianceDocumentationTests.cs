using SecurityOperator.Compliance.Cis;
using SecurityOperator.Compliance.Rbac;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Compliance;

/// <summary>docs/compliance.md lists every check this build evaluates, with its title.</summary>
public class ComplianceDocumentationTests
{
    [Fact]
    public void Every_check_is_listed_with_its_title()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "compliance.md"));
        var checks = CisCatalog.For(CisBenchmarkVersion.V1_12).Select(c => (c.Id, c.Title))
            .Concat(ClusterPolicyChecks.All.Select(c => (c.Id, c.Title)));
        foreach (var (id, title) in checks) Assert.Contains($"| {id} | {title} |", doc);
        foreach (var id in CisCatalog.For(CisBenchmarkVersion.V1_8).Select(c => c.Id)) Assert.Contains($"| {id} |", doc);
    }
}
