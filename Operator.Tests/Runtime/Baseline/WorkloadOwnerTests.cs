using SecurityOperator.Kube.Models;
using SecurityOperator.Runtime.Baseline;

namespace SecurityOperator.Tests.Runtime.Baseline;

public sealed class WorkloadOwnerTests
{
    private static Pod Pod(string name, string? ownerKind = null, string? ownerName = null, string? templateHash = null) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = "shop",
            Uid = Guid.NewGuid().ToString(),
            Labels = templateHash is null ? null : new() { [WorkloadOwner.PodTemplateHashLabel] = templateHash },
            OwnerReferences = ownerKind is null ? null : [new OwnerReference { Kind = ownerKind, Name = ownerName!, Controller = true }],
        },
    };

    [Fact]
    public void Replicas_of_a_deployment_share_the_deployment()
    {
        var a = WorkloadOwner.Of(Pod("web-7d4b9c-abcde", "ReplicaSet", "web-7d4b9c", "7d4b9c"));
        var b = WorkloadOwner.Of(Pod("web-7d4b9c-fghij", "ReplicaSet", "web-7d4b9c", "7d4b9c"));
        Assert.Equal(new WorkloadRef("shop", "Deployment", "web"), a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_replicaset_without_the_template_hash_is_its_own_workload() =>
        Assert.Equal(new WorkloadRef("shop", "ReplicaSet", "legacy"), WorkloadOwner.Of(Pod("legacy-x", "ReplicaSet", "legacy")));

    [Fact]
    public void Jobs_of_a_cronjob_share_the_cronjob_but_a_plain_job_stays_a_job()
    {
        Assert.Equal(new WorkloadRef("shop", "CronJob", "backup"), WorkloadOwner.Of(Pod("backup-29012345-x", "Job", "backup-29012345")));
        Assert.Equal(new WorkloadRef("shop", "Job", "backup-2"), WorkloadOwner.Of(Pod("backup-2-x", "Job", "backup-2")));
    }

    [Fact]
    public void Statefulset_daemonset_and_bare_pods()
    {
        Assert.Equal(new WorkloadRef("shop", "StatefulSet", "db"), WorkloadOwner.Of(Pod("db-0", "StatefulSet", "db")));
        Assert.Equal(new WorkloadRef("shop", "Pod", "debug"), WorkloadOwner.Of(Pod("debug")));
    }

    [Fact]
    public void Configmap_names_stay_valid_and_distinct_when_long()
    {
        Assert.Equal("security-operator-baseline-deployment-web", new WorkloadRef("shop", "Deployment", "web").ConfigMapName);
        var a = new WorkloadRef("shop", "Deployment", new string('a', 240) + "-one").ConfigMapName;
        var b = new WorkloadRef("shop", "Deployment", new string('a', 240) + "-two").ConfigMapName;
        Assert.True(a.Length <= WorkloadRef.MaxObjectName);
        Assert.NotEqual(a, b);
    }
}
