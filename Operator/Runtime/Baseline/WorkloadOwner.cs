using SecurityOperator.Kube.Models;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>Finds a pod's workload from the pod alone, without reading other objects (the node agent may read pods
/// only): a ReplicaSet owner whose name is "&lt;deployment&gt;-&lt;pod-template-hash&gt;" is the Deployment, a Job
/// owner whose name is "&lt;cronjob&gt;-&lt;digits&gt;" (the CronJob's scheduled time in minutes) is the CronJob, any other
/// controller owner is itself, and a pod without one is its own workload.</summary>
public static class WorkloadOwner
{
    /// <summary>The label the Deployment controller puts on its ReplicaSets' pods (and into the ReplicaSet name).</summary>
    public const string PodTemplateHashLabel = "pod-template-hash";

    public static WorkloadRef Of(Pod pod)
    {
        var ns = pod.Metadata.Namespace ?? "";
        var owners = pod.Metadata.OwnerReferences;
        var owner = owners?.FirstOrDefault(o => o.Controller == true) ?? owners?.FirstOrDefault();
        if (owner is null || owner.Name.Length == 0) return new WorkloadRef(ns, "Pod", pod.Metadata.Name ?? "");
        if (owner.Kind == "ReplicaSet" && pod.Metadata.Labels?.GetValueOrDefault(PodTemplateHashLabel) is { Length: > 0 } hash
            && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal))
            return new WorkloadRef(ns, "Deployment", owner.Name[..^(hash.Length + 1)]);
        if (owner.Kind == "Job" && CronJobName(owner.Name) is { } cronJob)
            return new WorkloadRef(ns, "CronJob", cronJob);
        return new WorkloadRef(ns, owner.Kind, owner.Name);
    }

    /// <summary>The CronJob controller names its Jobs "&lt;cronjob&gt;-&lt;scheduled time in minutes since the epoch&gt;";
    /// 8+ digits is any time after 1970-03 (a hand-made Job called "backup-2" stays a Job).</summary>
    private static string? CronJobName(string job)
    {
        var dash = job.LastIndexOf('-');
        if (dash <= 0 || job.Length - dash - 1 < 8) return null;
        for (var i = dash + 1; i < job.Length; i++)
            if (!char.IsAsciiDigit(job[i])) return null;
        return job[..dash];
    }
}
