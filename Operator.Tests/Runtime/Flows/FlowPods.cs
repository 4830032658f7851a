using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Runtime.Flows;

/// <summary>Pods as the node's pod informer delivers them, for the flow tests.</summary>
internal static class FlowPods
{
    /// <summary>A pod of Deployment <paramref name="deployment"/> (through ReplicaSet DEPLOYMENT-HASH).</summary>
    public static Pod OfDeployment(string ns, string deployment, string uid, string ip, string hash = "7d4b9c8f6", bool hostNetwork = false) => new()
    {
        Metadata = new ObjectMeta
        {
            Namespace = ns, Name = $"{deployment}-{hash}-x{uid[..4]}", Uid = uid,
            Labels = new() { ["app"] = deployment, ["pod-template-hash"] = hash },
            OwnerReferences = [new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = $"{deployment}-{hash}", Uid = "rs-" + uid, Controller = true }],
        },
        Spec = new PodSpec { HostNetwork = hostNetwork ? true : null, Containers = [new Container { Name = "main", Image = "app:1" }] },
        Status = new PodStatus { Phase = "Running", PodIp = ip },
    };
}
