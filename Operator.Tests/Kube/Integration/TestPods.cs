using System.Text.Json.Nodes;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>Minimal valid pods, as typed models (for the client) and as JSON (for seeding the double directly).</summary>
internal static class TestPods
{
    public static Pod New(string @namespace, string name, string image = "nginx:1.25", IReadOnlyDictionary<string, string>? labels = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = @namespace, Labels = labels?.ToDictionary() },
        Spec = new PodSpec { Containers = [new Container { Name = "app", Image = image }] },
    };

    public static JsonObject Json(string @namespace, string name, string image = "nginx:1.25", string? nodeName = null)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image }) };
        if (nodeName is not null) spec["nodeName"] = nodeName;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["spec"] = spec,
        };
    }
}
