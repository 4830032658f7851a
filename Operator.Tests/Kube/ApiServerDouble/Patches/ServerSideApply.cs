using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Patches;

/// <summary>application/apply-patch+yaml, simplified (see <see cref="ManagedFieldSet"/>): conflicts when the config sets a
/// leaf another manager owns to a different value (409 FieldManagerConflict unless force=true, pods-08 REQUEST 5/6);
/// leaves this manager applied before and omits now are removed unless someone else owns them (pods-08 REQUEST 6/7);
/// the config merges into the object with keyed lists merged by key and other lists replaced.</summary>
public static class ServerSideApply
{
    public sealed record Result(JsonObject Object, ManagedFieldSet Managers);

    public static Result Apply(JsonObject current, ManagedFieldSet managers, JsonObject config, string manager, bool force, string apiVersion)
    {
        var configLeaves = FieldPaths.Leaves(config);
        var currentLeaves = FieldPaths.Leaves(current);
        var conflicts = new List<(string Path, string Owner)>();
        foreach (var (path, value) in configLeaves)
        {
            if (currentLeaves.TryGetValue(path, out var existing) && existing == value) continue; // same value: shared ownership
            foreach (var (owner, operation, paths) in managers.Entries)
                if ((owner, operation) != (manager, "Apply") && paths.Contains(path)) conflicts.Add((path, owner));
        }
        if (conflicts.Count > 0 && !force) throw ConflictError(conflicts, apiVersion);

        var ownedByOthers = managers.Entries.Where(e => (e.Manager, e.Operation) != (manager, "Apply"))
            .SelectMany(e => e.Paths).Except(conflicts.Select(c => c.Path)).ToHashSet();
        var result = (JsonObject)current.DeepClone();
        foreach (var omitted in managers.PathsOf(manager, "Apply"))
            if (!configLeaves.ContainsKey(omitted) && !ownedByOthers.Contains(omitted)) FieldPaths.Remove(result, omitted);

        var merged = (JsonObject)StrategicMergePatch.Apply(result, WithoutNulls(config))!;
        var next = managers.AfterApply(manager, configLeaves.Keys, conflicts.Select(c => c.Path), FieldPaths.Leaves(merged));
        return new Result(merged, next);
    }

    /// <summary>The 409 body of pods-08 REQUEST 5: message lists the conflicts, one cause per conflicting field.</summary>
    private static StatusError ConflictError(List<(string Path, string Owner)> conflicts, string apiVersion)
    {
        string message;
        if (conflicts.Count == 1)
            message = $"Apply failed with 1 conflict: conflict with \"{conflicts[0].Owner}\" using {apiVersion}: {FieldPaths.Render(conflicts[0].Path)}";
        else
            message = $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", conflicts.GroupBy(c => c.Owner).Select(g =>
                $"conflicts with \"{g.Key}\" using {apiVersion}:\n" + string.Join("\n", g.Select(c => "- " + FieldPaths.Render(c.Path)))));
        var causes = new JsonArray(conflicts.Select(c => (JsonNode)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with \"{c.Owner}\" using {apiVersion}",
            ["field"] = FieldPaths.Render(c.Path),
        }).ToArray());
        return new StatusError(409, StatusErrors.Failure(409, "Conflict", message, new JsonObject { ["causes"] = causes }));
    }

    // In an apply configuration null means "no opinion", not "delete" (that is done by omitting a field).
    private static JsonObject WithoutNulls(JsonObject o)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in o)
            if (v is not null) copy[k] = v is JsonObject child ? WithoutNulls(child) : v.DeepClone();
        return copy;
    }
}
