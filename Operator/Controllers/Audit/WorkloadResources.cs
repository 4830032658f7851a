using SecurityOperator.Kube;

namespace SecurityOperator.Controllers.Audit;

/// <summary>The workload controllers the background audit evaluates through their pod templates.</summary>
public static class WorkloadResources
{
    public static readonly KubeResource Deployments = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly KubeResource StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true);
    public static readonly KubeResource DaemonSets = new("apps", "v1", "daemonsets", "DaemonSet", true);
    public static readonly KubeResource ReplicaSets = new("apps", "v1", "replicasets", "ReplicaSet", true);
    public static readonly KubeResource Jobs = new("batch", "v1", "jobs", "Job", true);
    public static readonly KubeResource CronJobs = new("batch", "v1", "cronjobs", "CronJob", true);
}
