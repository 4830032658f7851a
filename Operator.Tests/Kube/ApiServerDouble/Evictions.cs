using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer.Operations;
using SecurityOperator.Tests.Kube.ApiServer.Selectors;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>pods/NAME/eviction (policy/v1 Eviction). The double runs no disruption controller: a test declares which
/// pods a PodDisruptionBudget protects with <see cref="Block"/>. As in pods-11, Pending pods ignore budgets, a blocked
/// eviction is 429 TooManyRequests with a DisruptionBudget cause and no Retry-After header, and a successful one is 201
/// with a Success Status, after which the pod is deleted like a DELETE (gracefully when it is bound to a node).</summary>
internal sealed class Evictions(ObjectOperations operations, ObjectStore store)
{
    private readonly List<(string Namespace, LabelSelector Selector, string Budget, int Needs, int Has)> _blocks = [];

    public void Block(string @namespace, string labelSelector, string budgetName, int needsHealthy, int hasHealthy)
    {
        lock (_blocks) _blocks.Add((@namespace, LabelSelector.Parse(labelSelector), budgetName, needsHealthy, hasHealthy));
    }

    public void Clear()
    {
        lock (_blocks) _blocks.Clear();
    }

    public WriteResult Evict(string @namespace, string name, DeleteRequest deleteOptions)
    {
        var pod = store.Get(ResourceCatalog.Pods, @namespace, name) ?? throw StatusErrors.NotFound(ResourceCatalog.Pods, name);
        var phase = pod.Node["status"]?["phase"]?.GetValue<string>();
        if (phase != "Pending")
        {
            lock (_blocks)
                foreach (var b in _blocks)
                    if (b.Namespace == @namespace && b.Selector.Matches(pod.Labels))
                        throw new StatusError(429, StatusErrors.Failure(429, "TooManyRequests",
                            "Cannot evict pod as it would violate the pod's disruption budget.",
                            new JsonObject
                            {
                                ["causes"] = new JsonArray(new JsonObject
                                {
                                    ["reason"] = "DisruptionBudget",
                                    ["message"] = $"The disruption budget {b.Budget} needs {b.Needs} healthy pods and has {b.Has} currently",
                                }),
                            }));
        }
        operations.Delete(ResourceCatalog.Pods, @namespace, name, deleteOptions);
        return new WriteResult(201, JsonOutput.ToBytes(StatusErrors.EvictionSuccess()), null);
    }
}
