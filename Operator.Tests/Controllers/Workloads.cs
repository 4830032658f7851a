using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Controllers;

/// <summary>Pods and workloads seeded into the double, owned as the Kubernetes controllers would own them.</summary>
internal static class Workloads
{
    public static JsonObject PodSpec(bool privileged) => new()
    {
        ["containers"] = new JsonArray(new JsonObject
        {
            ["name"] = "app",
            ["image"] = "registry.example.com/app:1.0",
            ["securityContext"] = new JsonObject { ["privileged"] = privileged },
        }),
    };

    public static StoredObjectView Pod(ApiServerDouble api, string ns, string name, bool privileged, StoredObjectView? owner = null, string? ownerKind = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = "web" } };
        if (owner is not null) metadata["ownerReferences"] = OwnerRefs(owner, ownerKind!);
        return api.Seed(ResourceCatalog.Pods, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = PodSpec(privileged),
        });
    }

    /// <summary>A Deployment, its ReplicaSet and <paramref name="replicas"/> pods, all from one template.</summary>
    public static StoredObjectView Deployment(ApiServerDouble api, string ns, string name, bool privileged, int replicas)
    {
        var deployment = api.Seed(ResourceCatalog.Deployments, Workload("apps/v1", "Deployment", ns, name, privileged, null, null));
        var rs = api.Seed(ResourceCatalog.ReplicaSets, Workload("apps/v1", "ReplicaSet", ns, $"{name}-5d8f", privileged, deployment, "Deployment"));
        for (var i = 0; i < replicas; i++) Pod(api, ns, $"{name}-5d8f-{i}", privileged, rs, "ReplicaSet");
        return deployment;
    }

    public static JsonObject Workload(string apiVersion, string kind, string ns, string name, bool privileged, StoredObjectView? owner, string? ownerKind)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (owner is not null) metadata["ownerReferences"] = OwnerRefs(owner, ownerKind!);
        return new JsonObject
        {
            ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                    ["spec"] = PodSpec(privileged),
                },
            },
        };
    }

    private static JsonArray OwnerRefs(StoredObjectView owner, string kind) => new(new JsonObject
    {
        ["apiVersion"] = owner.Object["apiVersion"]!.GetValue<string>(),
        ["kind"] = kind,
        ["name"] = owner.Name,
        ["uid"] = owner.Object["metadata"]!["uid"]!.GetValue<string>(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    });
}
