using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Policy.Cluster;

/// <summary>SecurityPolicy / ClusterSecurityPolicy objects for tests against the API double.</summary>
internal static class PolicyObjects
{
    /// <summary>One rule "no-privileged" (privileged: true) with the given actions, in the given mode.</summary>
    public static JsonObject Namespaced(string ns, string name, string mode = "enforce", string action = "deny") => new()
    {
        ["apiVersion"] = "security.io/v1",
        ["kind"] = "SecurityPolicy",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = Spec(mode, action),
    };

    public static JsonObject Cluster(string name, string mode = "enforce", string action = "deny", JsonObject? namespaceSelector = null)
    {
        var spec = Spec(mode, action);
        if (namespaceSelector is not null) spec["targets"] = new JsonObject { ["namespaceSelector"] = namespaceSelector };
        return new JsonObject
        {
            ["apiVersion"] = "security.io/v1",
            ["kind"] = "ClusterSecurityPolicy",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    public static JsonObject Spec(string mode, string action) => new()
    {
        ["enforcementMode"] = mode,
        ["rules"] = new JsonArray(new JsonObject
        {
            ["name"] = "no-privileged",
            ["conditions"] = new JsonArray(new JsonObject { ["privilegedContainer"] = true }),
            ["actions"] = new JsonArray(action),
        }),
    };

    /// <summary>The same object with a spec the compiler rejects (unknown condition key).</summary>
    public static JsonObject Broken(JsonObject policy)
    {
        var copy = (JsonObject)policy.DeepClone();
        copy["spec"]!["rules"]![0]!["conditions"] = new JsonArray(new JsonObject { ["noSuchCondition"] = true });
        return copy;
    }

    /// <summary>The same object with a second rule (a new generation that compiles).</summary>
    public static JsonObject WithSecondRule(JsonObject policy)
    {
        var copy = (JsonObject)policy.DeepClone();
        ((JsonArray)copy["spec"]!["rules"]!).Add(new JsonObject
        {
            ["name"] = "no-host-network",
            ["conditions"] = new JsonArray(new JsonObject { ["hostNetwork"] = true }),
            ["actions"] = new JsonArray("deny"),
        });
        return copy;
    }
}
