using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>A failed request: the HTTP code and the metav1.Status body the real server sends for it. Thrown inside the
/// double's handlers and turned into the response by the request pipeline.</summary>
public sealed class StatusError(int code, JsonObject body) : Exception(body["message"]?.GetValue<string>() ?? $"HTTP {code}")
{
    public int Code { get; } = code;
    public JsonObject Body { get; } = body;

    /// <summary>Extra response headers (X-Content-Type-Options on 403, Retry-After on injected 429s).</summary>
    public Dictionary<string, string> Headers { get; } = [];
}

/// <summary>Builders for every Status body the transcripts record. Key order is the one kube-apiserver writes:
/// kind, apiVersion, metadata, status, message, reason, details{name, group, kind, uid, causes}, code.</summary>
public static class StatusErrors
{
    public static JsonObject Failure(int code, string reason, string message, JsonObject? details = null, JsonObject? metadata = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata ?? new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (reason.Length > 0) status["reason"] = reason;
        if (details is not null) status["details"] = details;
        status["code"] = code;
        return status;
    }

    /// <summary>details {name?, group?, kind} with the kind as given (a plural for most errors, the Kind for Invalid).</summary>
    public static JsonObject Details(string? name, string group, string kind, string? uid = null)
    {
        var d = new JsonObject();
        if (!string.IsNullOrEmpty(name)) d["name"] = name;
        if (group.Length > 0) d["group"] = group;
        d["kind"] = kind;
        if (uid is not null) d["uid"] = uid;
        return d;
    }

    /// <summary>errors-404 REQUEST 1: pods "ghost" not found, details {name, kind: plural}.</summary>
    public static StatusError NotFound(ResourceType type, string name) =>
        new(404, Failure(404, "NotFound", $"{type.QualifiedResource} \"{name}\" not found", Details(name, type.Group, type.Plural)));

    /// <summary>errors-404 REQUEST 4: an unknown resource in a served group/version.</summary>
    public static StatusError UnknownResource() =>
        new(404, Failure(404, "NotFound", "the server could not find the requested resource", new JsonObject()));

    /// <summary>pods-01 REQUEST 3, coord-01 REQUEST 2.</summary>
    public static StatusError AlreadyExists(ResourceType type, string name) =>
        new(409, Failure(409, "AlreadyExists", $"{type.QualifiedResource} \"{name}\" already exists", Details(name, type.Group, type.Plural)));

    /// <summary>pods-05 REQUEST 2, pods-09 REQUEST 3, coord-01 REQUEST 4: stale resourceVersion.</summary>
    public static StatusError Conflict(ResourceType type, string name) =>
        new(409, Failure(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            Details(name, type.Group, type.Plural)));

    /// <summary>pods-10 REQUEST 7: a DeleteOptions precondition that does not hold. The real message names the Kind, not the plural.</summary>
    public static StatusError PreconditionFailed(ResourceType type, string name, string detail) =>
        new(409, Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.Kind} \"{name}\": {detail}", Details(name, type.Group, type.Kind)));

    public static StatusError BadRequest(string message) => new(400, Failure(400, "BadRequest", message));

    /// <summary>422 Invalid for an object: "Kind "name" is invalid: field: msg" or "[a, b]" for several causes (errors-422).</summary>
    public static StatusError Invalid(string qualifiedKind, string group, string kind, string name, IReadOnlyList<FieldCause> causes)
    {
        var list = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var summary = list.Count == 1 ? list[0] : $"[{string.Join(", ", list)}]";
        var details = Details(name, group, kind);
        details["causes"] = new JsonArray(causes.Select(c => (JsonNode)c.ToJson()).ToArray());
        return new(422, Failure(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {summary}", details));
    }

    public static StatusError Invalid(ResourceType type, string name, IReadOnlyList<FieldCause> causes) =>
        Invalid(type.QualifiedKind, type.InternalGroup ?? type.Group, type.Kind, name, causes);

    /// <summary>ListOptions / PatchOptions validation (watch-06, pods-08 REQUEST 2): name "" and group meta.k8s.io.</summary>
    public static StatusError InvalidOptions(string optionsKind, IReadOnlyList<FieldCause> causes) =>
        Invalid($"{optionsKind}.meta.k8s.io", "meta.k8s.io", optionsKind, "", causes); // empty name: details carry none

    /// <summary>pods-06 REQUEST 2/3: a JSON patch that cannot be applied gets the generic message and empty details.</summary>
    public static StatusError JsonPatchFailed() =>
        new(422, Failure(422, "Invalid", "the server rejected our request due to an error in our request", new JsonObject()));

    /// <summary>crd-03 REQUEST 3: unsupported patch type.</summary>
    public static StatusError UnsupportedPatch(bool strategicAllowed) =>
        new(415, Failure(415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, "
            + (strategicAllowed ? "application/strategic-merge-patch+json, " : "") + "application/apply-patch+yaml"));

    /// <summary>watch-03 REQUEST 2: a continue token older than the compaction. The body carries a token for an inconsistent continuation.</summary>
    public static StatusError ExpiredContinue(string inconsistentToken) =>
        new(410, Failure(410, "Expired",
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
            metadata: new JsonObject { ["continue"] = inconsistentToken }));

    /// <summary>watch-03 REQUEST 3: resourceVersionMatch=Exact with a compacted resourceVersion.</summary>
    public static StatusError ExpiredList() =>
        new(410, Failure(410, "Expired", "The resourceVersion for the provided list is too old."));

    /// <summary>watch-03 REQUEST 5/6: sent as the object of an ERROR event inside a 200 stream.</summary>
    public static JsonObject TooOldResourceVersion(long requested, long oldestAvailableMinusOne) =>
        Failure(410, "Expired", $"too old resource version: {requested} ({oldestAvailableMinusOne})");

    /// <summary>errors-403 REQUEST 7.</summary>
    public static StatusError Unauthorized() => new(401, Failure(401, "Unauthorized", "Unauthorized"));

    /// <summary>errors-403 REQUEST 2/3/4/8: RBAC denial, details.kind is the plural, X-Content-Type-Options: nosniff.</summary>
    public static StatusError Forbidden(ResourceType type, string? name, string verb, string user, string? @namespace)
    {
        var subject = name is null ? type.QualifiedResource : $"{type.QualifiedResource} \"{name}\"";
        var scope = @namespace is null ? "at the cluster scope" : $"in the namespace \"{@namespace}\"";
        var e = new StatusError(403, Failure(403, "Forbidden",
            $"{subject} is forbidden: User \"{user}\" cannot {verb} resource \"{type.Plural}\" in API group \"{type.Group}\" {scope}",
            Details(name, type.Group, type.Plural)));
        e.Headers["X-Content-Type-Options"] = "nosniff";
        return e;
    }

    /// <summary>kube-apiserver's request body limit (3 MiB, --max-request-bytes default in v1.28).</summary>
    public static StatusError TooLarge(long limit) =>
        new(413, Failure(413, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}"));

    /// <summary>Success Status for DELETE of kinds that do not return the object (crd-02 REQUEST 6, coord-01 REQUEST 9): no code.</summary>
    public static JsonObject DeleteSuccess(ResourceType type, string name, string? uid) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = Details(name, type.Group, type.Plural, uid),
    };

    /// <summary>pods-11 REQUEST 1: a successful eviction is 201 with this body.</summary>
    public static JsonObject EvictionSuccess() => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["code"] = 201,
    };
}

/// <summary>One details.causes entry: {reason, message, field}. Reasons seen: FieldValueInvalid, FieldValueRequired,
/// FieldValueNotSupported, FieldValueForbidden (errors-422, watch-06), FieldManagerConflict (pods-08).</summary>
public sealed record FieldCause(string Reason, string Message, string Field)
{
    public JsonObject ToJson() => new() { ["reason"] = Reason, ["message"] = Message, ["field"] = Field };

    public static FieldCause Required(string field, string? detail = null) =>
        new("FieldValueRequired", detail is null ? "Required value" : $"Required value: {detail}", field);

    public static FieldCause InvalidValue(string field, string renderedValue, string detail) =>
        new("FieldValueInvalid", $"Invalid value: {renderedValue}: {detail}", field);

    public static FieldCause Forbidden(string field, string detail) => new("FieldValueForbidden", $"Forbidden: {detail}", field);

    public static FieldCause NotSupported(string field, string renderedValue, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", $"Unsupported value: {renderedValue}: supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}", field);
}
