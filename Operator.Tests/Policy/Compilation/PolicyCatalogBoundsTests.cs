using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Defaults;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Tests.Policy.Compilation;

public class PolicyCatalogBoundsTests
{
    [Fact]
    public void The_per_namespace_cache_stops_growing_at_its_bound_and_still_selects()
    {
        var catalog = new PolicyCatalog([DefaultPolicySet.Policy]);
        var labels = new Dictionary<string, string>();
        for (var i = 0; i < PolicyCatalog.MaxCachedNamespaces + 500; i++)
            Assert.Single(catalog.Select($"made-up-{i}", labels).Policies);
        Assert.Equal(PolicyCatalog.MaxCachedNamespaces, catalog.CachedNamespaces);
    }

    [Fact]
    public void Parsing_a_workload_kind_allocates_nothing()
    {
        PodTemplateLocator.TryParseKind("Deployment", out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = 0;
        for (var i = 0; i < 1000; i++)
            if (PodTemplateLocator.TryParseKind("CronJob", out var kind) && kind == WorkloadKind.CronJob) found++;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, found);
        Assert.False(PodTemplateLocator.TryParseKind("ConfigMap", out _));
    }
}
