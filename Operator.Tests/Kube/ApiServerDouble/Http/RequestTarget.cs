namespace SecurityOperator.Tests.Kube.ApiServer.Http;

/// <summary>What a request path names, following kube-apiserver's routes: /api/v1/..., /apis/GROUP/VERSION/..., with
/// optional namespaces/NS/, then RESOURCE[/NAME[/SUBRESOURCE]]. Discovery paths are flagged separately.</summary>
internal sealed record RequestTarget(
    string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource)
{
    public enum DiscoveryKind { None, Version, ApiVersions, GroupList, Group, ResourceList }

    /// <summary>Parses a path. Returns null for paths kube-apiserver does not route at all (text/plain 404).</summary>
    public static (DiscoveryKind Discovery, string Group, string Version, RequestTarget? Target)? Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        switch (segments)
        {
            case ["version"]: return (DiscoveryKind.Version, "", "", null);
            case ["api"]: return (DiscoveryKind.ApiVersions, "", "", null);
            case ["apis"]: return (DiscoveryKind.GroupList, "", "", null);
            case ["api", var v]: return (DiscoveryKind.ResourceList, "", v, null);
            case ["apis", var g]: return (DiscoveryKind.Group, g, "", null);
            case ["apis", var g, var v]: return (DiscoveryKind.ResourceList, g, v, null);
        }
        string group, version;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api") { group = ""; version = segments[1]; rest = segments[2..]; }
        else if (segments.Length >= 4 && segments[0] == "apis") { group = segments[1]; version = segments[2]; rest = segments[3..]; }
        else return null;

        string? @namespace = null;
        // namespaces/NS/RESOURCE... is a namespaced collection; namespaces/NAME/status|finalize is the namespace itself.
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            @namespace = rest[1];
            rest = rest[2..];
        }
        return rest.Length switch
        {
            1 => (DiscoveryKind.None, group, version, new RequestTarget(group, version, @namespace, rest[0], null, null)),
            2 => (DiscoveryKind.None, group, version, new RequestTarget(group, version, @namespace, rest[0], rest[1], null)),
            3 => (DiscoveryKind.None, group, version, new RequestTarget(group, version, @namespace, rest[0], rest[1], rest[2])),
            _ => (DiscoveryKind.None, group, version, new RequestTarget(group, version, @namespace, rest[0], rest[1], string.Join('/', rest[2..]))),
        };
    }

    /// <summary>The RBAC verb, as a 403 message names it (errors-403).</summary>
    public string Verb(string method, bool watch) => method switch
    {
        "GET" when Name is null => watch ? "watch" : "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" when Name is null => "deletecollection",
        "DELETE" => "delete",
        _ => method.ToLowerInvariant(),
    };
}
