using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>Legacy (non-aggregated) discovery documents built from the registered kinds: enough for a client to find
/// groups, versions and resources (discovery-01, -02, -04, crd-01 REQUEST 3). The aggregated v2beta1 form
/// (discovery-03) is not served: a client asking for it gets the plain APIGroupList, as an old server would.</summary>
internal static class Discovery
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>discovery-01 RESPONSE 1 (the double reports the recorded v1.28.7 server).</summary>
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "28",
        ["gitVersion"] = "v1.28.7",
        ["gitCommit"] = "c8dcb00be9961ec36d141d2e4103f85f92bcf291",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-11-22T11:09:31Z",
        ["goVersion"] = "go1.23.5",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    /// <summary>discovery-01 RESPONSE 2.</summary>
    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    /// <summary>discovery-02: every non-core group, in registration order, each with its versions and preferred version.</summary>
    public static JsonObject GroupList(IReadOnlyList<ResourceType> types) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(types.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct()
            .Select(g => (JsonNode)Group(types, g)).ToArray()),
    };

    public static JsonObject Group(IReadOnlyList<ResourceType> types, string group)
    {
        var versions = types.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
        JsonObject Entry(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Entry(v)).ToArray()),
            ["preferredVersion"] = Entry(versions[0]),
        };
    }

    /// <summary>discovery-04 / crd-01 RESPONSE 3. The core list has no apiVersion member, group lists have "v1".</summary>
    public static JsonObject ResourceList(IReadOnlyList<ResourceType> types, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var t in types.Where(t => t.Group == group && t.Version == version).OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var entry = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray(AllVerbs.Where(v => v != "deletecollection" || t.SupportsDeleteCollection).Select(v => (JsonNode)v).ToArray()),
            };
            if (t.ShortNames.Count > 0) entry["shortNames"] = new JsonArray(t.ShortNames.Select(s => (JsonNode)s).ToArray());
            resources.Add(entry);
            if (t.HasStatusSubresource)
                resources.Add(Subresource($"{t.Plural}/status", t.Namespaced, t.Kind, ["get", "patch", "update"]));
            foreach (var sub in t.ExtraSubresources)
            {
                var sr = Subresource($"{t.Plural}/{sub}", t.Namespaced, sub == "eviction" ? "Eviction" : t.Kind, ["create"]);
                if (sub == "eviction") { sr["group"] = "policy"; sr["version"] = "v1"; }
                resources.Add(sr);
            }
        }
        var list = new JsonObject { ["kind"] = "APIResourceList" };
        if (group.Length > 0) list["apiVersion"] = "v1";
        list["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}";
        list["resources"] = resources;
        return list;
    }

    private static JsonObject Subresource(string name, bool namespaced, string kind, string[] verbs) => new()
    {
        ["name"] = name,
        ["singularName"] = "",
        ["namespaced"] = namespaced,
        ["kind"] = kind,
        ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
    };
}
