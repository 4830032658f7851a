using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>Puts a double into the state a transcript starts from, using objects taken from the recordings themselves
/// (a recorded response body is the object as the server held it).</summary>
internal static class ReplaySeeds
{
    public static void Namespace(ApiServerDouble api, string name, string? team = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (team is not null) metadata["labels"] = new JsonObject { ["team"] = team };
        api.Seed(ResourceCatalog.Namespaces, new JsonObject { ["metadata"] = metadata });
    }

    /// <summary>Seeds the object of a recorded response (of exchange <paramref name="index"/>); status is replaced by
    /// the create defaults unless <paramref name="keepStatus"/>, in which case it is written through /status.</summary>
    public static StoredObjectView FromResponse(ApiServerDouble api, ResourceType type, string file, int index, bool keepStatus = false) =>
        Object(api, type, (JsonObject)TranscriptDirectory.Load(file).Exchange(index).Response.Json!, keepStatus);

    /// <summary>Seeds every item of a recorded LIST response.</summary>
    public static void ListItems(ApiServerDouble api, ResourceType type, string file, params int[] indexes)
    {
        var transcript = TranscriptDirectory.Load(file);
        // In recorded resourceVersion order, so the seeded objects' versions keep the recorded relative order.
        var items = indexes.SelectMany(i => transcript.Exchange(i).Response.Json!["items"]!.AsArray())
            .OrderBy(i => long.Parse(i!["metadata"]!["resourceVersion"]!.GetValue<string>()));
        foreach (var item in items) Object(api, type, (JsonObject)item!, keepStatus: false);
    }

    private static StoredObjectView Object(ApiServerDouble api, ResourceType type, JsonObject recorded, bool keepStatus)
    {
        var seeded = api.Seed(type, (JsonObject)recorded.DeepClone());
        if (keepStatus && recorded["status"] is JsonObject status)
            seeded = api.SetStatus(type, seeded.Namespace, seeded.Name, status);
        return seeded;
    }
}
