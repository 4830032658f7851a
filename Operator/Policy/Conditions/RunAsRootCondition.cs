using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>runAsRoot: for each container (init, regular, ephemeral) the effective runAsUser and runAsNonRoot are the
/// container's value, else the pod's (Kubernetes inheritance). Flagged: (1) effective runAsUser is 0; (2) neither
/// runAsNonRoot=true nor a runAsUser is in effect — the container then runs as the image's USER, root for most images,
/// and nothing makes the kubelet check it. Not flagged: a non-zero runAsUser, or runAsNonRoot=true with no runAsUser
/// (the kubelet refuses to start a root image). Windows pods (spec.os.name=windows) are skipped: these are Linux fields.</summary>
public sealed class RunAsRootCondition() : Condition(ConditionKind.RunAsRoot)
{
    // Detail values: where the offending setting comes from.
    internal const int FromContainer = 0, FromPod = 1, NotSet = 2, ExplicitNonRootFalse = 3;

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        if (facts.IsWindows) return;
        var pod = facts.PodSecurityContext;
        var containers = facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
        {
            ref readonly var sc = ref containers[i].SecurityContext;
            var user = sc.RunAsUser ?? pod.RunAsUser;
            var nonRoot = sc.RunAsNonRoot ?? pod.RunAsNonRoot;
            if (user == 0)
                context.Report(Kind, i, FieldId.RunAsUser, TextRange.None, sc.RunAsUser.HasValue ? FromContainer : FromPod);
            else if (user is null && nonRoot != true)
                context.Report(Kind, i, FieldId.RunAsNonRoot, TextRange.None,
                    nonRoot == false ? ExplicitNonRootFalse : NotSet, item: sc.RunAsNonRoot.HasValue ? FromContainer : FromPod);
        }
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts) => violation.Detail switch
    {
        FromContainer => ("runs as root: securityContext.runAsUser is 0", "set securityContext.runAsUser to a non-zero UID and runAsNonRoot: true"),
        FromPod => ("runs as root: inherits spec.securityContext.runAsUser 0", "set runAsUser to a non-zero UID and runAsNonRoot: true"),
        ExplicitNonRootFalse => ("may run as root: runAsNonRoot is false and no runAsUser is set", "set runAsNonRoot: true (and a non-zero runAsUser)"),
        _ => ("may run as root: neither runAsNonRoot: true nor runAsUser is set (the image's USER decides)", "set securityContext.runAsNonRoot: true (pod or container) and a non-zero runAsUser"),
    };
}
