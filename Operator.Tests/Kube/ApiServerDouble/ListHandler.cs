using System.Text.Json;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>LIST with paging: every page reads the snapshot of the first page's revision (pods-03), items in key order,
/// a continue token and remainingItemCount on every page but the last (remainingItemCount only without selectors, as
/// kube-apiserver cannot count filtered results), 410 for continue tokens or Exact resourceVersions that were
/// compacted away (watch-03 REQUEST 2/3).</summary>
internal static class ListHandler
{
    public static byte[] List(ObjectStore store, ResourceType type, string? @namespace, ListQuery query)
    {
        long snapshot;
        var start = "";
        if (query.Continue is not null)
        {
            ContinueToken token;
            try { token = ContinueToken.Decode(query.Continue); }
            catch (FormatException e) { throw StatusErrors.BadRequest(e.Message); }
            start = token.Start;
            if (token.ResourceVersion == -1) snapshot = store.Revision; // the inconsistent continuation offered by a 410
            else if (token.ResourceVersion < store.CompactedRevision)
                throw StatusErrors.ExpiredContinue(new ContinueToken(-1, token.Start).Encode());
            else snapshot = token.ResourceVersion;
        }
        else if (query.ResourceVersionMatch == "Exact" && long.TryParse(query.ResourceVersion, out var exact))
        {
            if (exact < store.CompactedRevision) throw StatusErrors.ExpiredList();
            snapshot = exact;
        }
        else snapshot = store.Revision;

        // Within one namespace the etcd key is relative to the namespace prefix, so "start" is the name; cluster-wide it is "namespace/name".
        var relativeToNamespace = @namespace is not null;
        string KeyOf(StoredObject o) => relativeToNamespace ? o.Name : o.Key;

        var all = store.Snapshot(type, @namespace, snapshot)
            .Where(o => start.Length == 0 || string.CompareOrdinal(KeyOf(o), start) >= 0)
            .Where(o => query.Labels.Matches(o.Labels) && query.Fields.Matches(o.Node))
            .ToList();
        var page = query.Limit > 0 && all.Count > query.Limit ? all.Take(query.Limit).ToList() : all;
        string? next = null;
        long? remaining = null;
        if (page.Count < all.Count)
        {
            next = new ContinueToken(snapshot, KeyOf(page[^1]) + "\0").Encode();
            if (query.Labels.IsEmpty && query.Fields.IsEmpty) remaining = all.Count - page.Count;
        }
        return Render(type, snapshot, page, next, remaining);
    }

    /// <summary>Built-in lists: kind, apiVersion, metadata, items. Custom resource lists: keys alphabetical and
    /// metadata.continue always present ("" on the last page, crd-02 REQUEST 5).</summary>
    private static byte[] Render(ResourceType type, long snapshot, List<StoredObject> items, string? next, long? remaining)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (type.IsCustom)
            {
                w.WriteString("apiVersion", type.ApiVersion);
                WriteItems(w, items);
                w.WriteString("kind", type.ListKind);
                w.WriteStartObject("metadata");
                w.WriteString("continue", next ?? "");
                if (remaining is not null) w.WriteNumber("remainingItemCount", remaining.Value);
                w.WriteString("resourceVersion", snapshot.ToString());
                w.WriteEndObject();
            }
            else
            {
                w.WriteString("kind", type.ListKind);
                w.WriteString("apiVersion", type.ApiVersion);
                w.WriteStartObject("metadata");
                w.WriteString("resourceVersion", snapshot.ToString());
                if (next is not null) w.WriteString("continue", next);
                if (remaining is not null) w.WriteNumber("remainingItemCount", remaining.Value);
                w.WriteEndObject();
                WriteItems(w, items);
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteItems(Utf8JsonWriter w, List<StoredObject> items)
    {
        w.WriteStartArray("items");
        foreach (var item in items) w.WriteRawValue(item.ItemJson, skipInputValidation: true);
        w.WriteEndArray();
    }
}
