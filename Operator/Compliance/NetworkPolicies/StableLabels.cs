namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>Labels that identify a workload across rollouts: the pod's labels minus those its controller sets per
/// revision or per pod (a selector on them would stop matching after the next rollout).</summary>
public static class StableLabels
{
    private static readonly HashSet<string> PerRevision = new(StringComparer.Ordinal)
    {
        "pod-template-hash",                            // Deployment → ReplicaSet revision
        "controller-revision-hash",                     // StatefulSet, DaemonSet revision
        "pod-template-generation",                      // DaemonSet (legacy)
        "statefulset.kubernetes.io/pod-name",           // one pod of a StatefulSet
        "apps.kubernetes.io/pod-index",                 // StatefulSet ordinal
        "batch.kubernetes.io/controller-uid", "controller-uid",   // one Job run
        "batch.kubernetes.io/job-completion-index",
    };

    public static Dictionary<string, string> Of(IReadOnlyDictionary<string, string> labels) =>
        labels.Where(l => !PerRevision.Contains(l.Key)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
}
