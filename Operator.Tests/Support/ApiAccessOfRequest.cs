using SecurityOperator.Kube.Access;

namespace SecurityOperator.Tests.Support;

/// <summary>Maps an HTTP request to the RBAC permission kube-apiserver checks for it (its request-info rules):
/// GET of a collection is list (watch with ?watch=true), GET of an object is get, POST create, PUT update, PATCH patch,
/// DELETE of an object delete and of a collection deletecollection. Paths: /api/v1/..., /apis/{group}/{version}/...,
/// optionally namespaces/{ns}/, then {resource}[/{name}[/{subresource}]]. Returns null for non-resource paths
/// (/version, /apis discovery).</summary>
public static class ApiAccessOfRequest
{
    public static ApiAccess? Map(string method, string path, string query)
    {
        var segments = path.Trim('/').Split('/');
        int index;
        string group;
        if (segments.Length >= 2 && segments[0] == "api") { group = ""; index = 2; }
        else if (segments.Length >= 3 && segments[0] == "apis") { group = segments[1]; index = 3; }
        else return null;
        if (segments.Length <= index) return null;
        // "namespaces/{ns}/{resource}..." addresses a namespaced resource; "namespaces/{name}" alone is a Namespace.
        if (segments[index] == "namespaces" && segments.Length > index + 2) index += 2;
        var resource = segments[index];
        var name = segments.Length > index + 1 ? segments[index + 1] : null;
        var subresource = segments.Length > index + 2 ? segments[index + 2] : null;
        var full = subresource is null ? resource : $"{resource}/{subresource}";
        var watch = query.Split('&').Any(p => p is "watch=true" or "watch=1");
        var verb = method.ToUpperInvariant() switch
        {
            "GET" when name is null => watch ? "watch" : "list",
            "GET" => watch ? "watch" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" when name is null => "deletecollection",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        return new ApiAccess(group, full, verb);
    }
}
