using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Transcripts;

/// <summary>Sends recorded requests to a double and compares the answers with the recording. Values that differ
/// between runs by nature are translated: resourceVersions (recorded → ours, learned from each response, and checked
/// for consistency: a recorded "same RV as before" must be the same here too) and continue tokens.</summary>
public sealed partial class TranscriptReplayer(ApiServerDouble api)
{
    private readonly Dictionary<string, string> _resourceVersions = [];
    private readonly Dictionary<string, string> _continueTokens = [];

    /// <summary>Bearer token to send for a request (null = none, i.e. anonymous). Defaults to the admin token.</summary>
    public Func<TranscriptRequest, string?> TokenFor { get; set; } = _ => api.BearerToken;

    [GeneratedRegex("\"resourceVersion\": \"(\\d+)\"")]
    private static partial Regex BodyResourceVersion();

    public sealed record Answer(int StatusCode, HttpResponseMessage Message, string Text)
    {
        public JsonNode? Json => TranscriptJson.TryParse(Text);
    }

    public async Task<Answer> SendAsync(TranscriptRequest request)
    {
        using var client = api.CreateHttpClient(TokenFor(request) ?? "", request.Headers["User-Agent"] ?? "transcript-recorder/1.0");
        var target = request.Target;
        foreach (var (recorded, ours) in _continueTokens) target = target.Replace(recorded, ours, StringComparison.Ordinal);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        if (request.HasBody)
        {
            var body = BodyResourceVersion().Replace(request.Body, m =>
                _resourceVersions.TryGetValue(m.Groups[1].Value, out var ours) ? $"\"resourceVersion\": \"{ours}\"" : m.Value);
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (request.ContentType is { } contentType) message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        var response = await client.SendAsync(message);
        return new Answer((int)response.StatusCode, response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Replays one exchange and asserts the answer matches the recording (see <see cref="AssertMatches"/>).</summary>
    public async Task<Answer> ReplayAsync(TranscriptExchange exchange, ReplayCheck check = ReplayCheck.Full)
    {
        var answer = await SendAsync(exchange.Request);
        AssertMatches(exchange, answer, check);
        return answer;
    }

    /// <summary>Status code, Content-Type and Cache-Control always; then for a Status body: status, reason, code,
    /// message, details (name, group, kind, causes); for a list: kind, item names in order, paging metadata; for an
    /// object: kind, identity, labels, annotations, generation, deletion fields, and the kind's key fields.</summary>
    public void AssertMatches(TranscriptExchange exchange, Answer answer, ReplayCheck check = ReplayCheck.Full)
    {
        var expected = exchange.Response;
        var what = $"{exchange.Request.Method} {exchange.Request.Target} ({exchange.Request.Label})";
        Assert.True(expected.StatusCode == answer.StatusCode, $"{what}: expected HTTP {expected.StatusCode}, got {answer.StatusCode}: {answer.Text}");
        var expectedType = expected.Headers["Content-Type"];
        Assert.Equal(expectedType, answer.Message.Content.Headers.ContentType?.ToString());
        if (expected.Headers["Cache-Control"] is { } cache) Assert.Equal(cache, answer.Message.Headers.CacheControl?.ToString());
        if (check == ReplayCheck.StatusCodeOnly) return;
        if (expectedType != "application/json")
        {
            Assert.Equal(expected.Body.Trim(), answer.Text.Trim());
            return;
        }
        var want = expected.Json!;
        var got = answer.Json ?? throw new Xunit.Sdk.XunitException($"{what}: the answer is not JSON: {answer.Text}");
        Assert.EndsWith("\n", answer.Text); // compact JSON followed by a newline, as on the wire
        if (want["kind"]?.GetValue<string>() == "Status") CompareStatus(what, want, got, check);
        else if (want["items"] is JsonArray) CompareList(what, want, got);
        else CompareObject(what, want, got);
    }

    private static void CompareStatus(string what, JsonNode want, JsonNode got, ReplayCheck check)
    {
        foreach (var field in new[] { "kind", "apiVersion", "status", "reason", "code" })
            Same(what, field, want[field], got[field]);
        if (check != ReplayCheck.StatusWithoutMessage) Same(what, "message", want["message"], got["message"]);
        var wantDetails = want["details"] as JsonObject;
        var gotDetails = got["details"] as JsonObject;
        Assert.True((wantDetails is null) == (gotDetails is null), $"{what}: details present in one body only: {got}");
        if (wantDetails is null) return;
        foreach (var field in new[] { "group", "kind" }) Same(what, $"details.{field}", wantDetails[field], gotDetails![field]);
        if (check != ReplayCheck.StatusWithoutMessage) Same(what, "details.name", wantDetails["name"], gotDetails!["name"]);
        if (wantDetails["uid"] is not null) Assert.NotNull(gotDetails!["uid"]);
        var wantCauses = wantDetails["causes"] as JsonArray;
        var gotCauses = gotDetails!["causes"] as JsonArray;
        Assert.True((wantCauses is null) == (gotCauses is null), $"{what}: causes present in one body only: {got}");
        if (wantCauses is null) return;
        // Distinct causes: kube-apiserver sometimes repeats one (pods-08 REQUEST 7 lists the same cause twice).
        var wantDistinct = wantCauses.Select(c => c!.ToJsonString()).Distinct().Select(c => JsonNode.Parse(c)!).ToList();
        Assert.True(wantDistinct.Count == gotCauses!.Count, $"{what}: expected {wantDistinct.Count} causes, got {got}");
        for (var i = 0; i < wantDistinct.Count; i++)
        {
            Same(what, $"causes[{i}].reason", wantDistinct[i]["reason"], gotCauses[i]!["reason"]);
            Same(what, $"causes[{i}].field", wantDistinct[i]["field"], gotCauses[i]!["field"]);
            if (check != ReplayCheck.StatusWithoutMessage) Same(what, $"causes[{i}].message", wantDistinct[i]["message"], gotCauses[i]!["message"]);
        }
    }

    private void CompareList(string what, JsonNode want, JsonNode got)
    {
        Same(what, "kind", want["kind"], got["kind"]);
        Same(what, "apiVersion", want["apiVersion"], got["apiVersion"]);
        Assert.Equal(Names(want["items"]!), Names(got["items"]!));
        LearnResourceVersion(what, want["metadata"]?["resourceVersion"], got["metadata"]?["resourceVersion"]);
        Same(what, "metadata.remainingItemCount", want["metadata"]?["remainingItemCount"], got["metadata"]?["remainingItemCount"]);
        var wantContinue = want["metadata"]?["continue"]?.GetValue<string>();
        var gotContinue = got["metadata"]?["continue"]?.GetValue<string>();
        Assert.True(string.IsNullOrEmpty(wantContinue) == string.IsNullOrEmpty(gotContinue), $"{what}: continue {wantContinue} vs {gotContinue}");
        if (!string.IsNullOrEmpty(wantContinue))
        {
            // Same start key, and our token carries our snapshot RV where the recording carries its own.
            var wantToken = ContinueToken.Decode(wantContinue);
            var gotToken = ContinueToken.Decode(gotContinue!);
            Assert.Equal(wantToken.Start, gotToken.Start);
            Assert.Equal(got["metadata"]!["resourceVersion"]!.GetValue<string>(), gotToken.ResourceVersion.ToString());
            _continueTokens[wantContinue] = gotContinue!;
        }
        foreach (var (w, g) in want["items"]!.AsArray().Zip(got["items"]!.AsArray()))
        {
            Assert.True((w!["kind"] is null) == (g!["kind"] is null), $"{what}: list items carry kind in one body only");
            LearnResourceVersion(what, w["metadata"]?["resourceVersion"], g["metadata"]?["resourceVersion"]);
        }
    }

    private void CompareObject(string what, JsonNode want, JsonNode got)
    {
        Same(what, "kind", want["kind"], got["kind"]);
        Same(what, "apiVersion", want["apiVersion"], got["apiVersion"]);
        var wm = want["metadata"] as JsonObject;
        var gm = got["metadata"] as JsonObject;
        if (wm is null) return; // discovery documents: compared by the caller
        foreach (var field in new[] { "name", "namespace", "labels", "annotations", "generation", "deletionGracePeriodSeconds", "finalizers" })
            Same(what, $"metadata.{field}", wm[field], gm![field]);
        Assert.True((wm["deletionTimestamp"] is null) == (gm!["deletionTimestamp"] is null), $"{what}: deletionTimestamp present in one body only");
        Assert.True((wm["uid"] is null) == (gm["uid"] is null), $"{what}: uid present in one body only");
        Assert.True((wm["resourceVersion"] is null) == (gm["resourceVersion"] is null), $"{what}: resourceVersion present in one body only");
        LearnResourceVersion(what, wm["resourceVersion"], gm["resourceVersion"]);
        foreach (var path in KeyFields(want["kind"]?.GetValue<string>() ?? ""))
            Same(what, path, Select(want, path), Select(got, path));
    }

    /// <summary>What to compare beyond metadata. Pods skip fields added by admission plugins the double does not run
    /// (kube-api-access volume, default tolerations); events.k8s.io skip the deprecated* mirror fields.</summary>
    private static string[] KeyFields(string kind) => kind switch
    {
        "Pod" => ["spec.containers.*.name", "spec.containers.*.image", "spec.containers.*.ports", "spec.containers.*.imagePullPolicy",
            "spec.nodeName", "spec.restartPolicy", "spec.dnsPolicy", "spec.serviceAccountName", "spec.schedulerName",
            "spec.terminationGracePeriodSeconds", "spec.activeDeadlineSeconds", "status.phase", "status.qosClass"],
        "Event" => ["eventTime", "reportingController", "reportingInstance", "action", "reason", "type", "note", "regarding",
            "related", "message", "involvedObject", "count", "source"],
        "Namespace" => ["spec", "status"],
        "APIVersions" or "APIGroupList" or "APIResourceList" => [],
        _ => ["spec", "status"],
    };

    private static JsonNode? Select(JsonNode node, string path)
    {
        IEnumerable<JsonNode?> current = [node];
        foreach (var segment in path.Split('.'))
            current = segment == "*"
                ? current.SelectMany(n => n as JsonArray ?? [])
                : current.Select(n => n is JsonObject o && o.TryGetPropertyValue(segment, out var v) ? v : null);
        var list = current.ToList();
        return path.Contains('*') ? new JsonArray(list.Select(n => n?.DeepClone()).ToArray()) : list.Single()?.DeepClone();
    }

    private void LearnResourceVersion(string what, JsonNode? recorded, JsonNode? ours)
    {
        if (recorded is null || ours is null) return;
        var r = recorded.GetValue<string>();
        var o = ours.GetValue<string>();
        if (_resourceVersions.TryGetValue(r, out var known))
            Assert.True(known == o, $"{what}: the recording repeats resourceVersion {r} (ours {known}) but the double answered {o}");
        else _resourceVersions[r] = o;
    }

    /// <summary>Tells the replayer that recorded resourceVersion <paramref name="recorded"/> is ours <paramref name="ours"/>
    /// (for state the test seeded instead of replaying).</summary>
    public void MapResourceVersion(string recorded, long ours) => _resourceVersions[recorded] = ours.ToString();

    private static List<string> Names(JsonNode items) =>
        items.AsArray().Select(i => $"{i!["metadata"]?["namespace"]}/{i["metadata"]?["name"]}").ToList();

    private static void Same(string what, string field, JsonNode? want, JsonNode? got) =>
        Assert.True(JsonNode.DeepEquals(want, got), $"{what}: {field} expected {want?.ToJsonString() ?? "(absent)"} got {got?.ToJsonString() ?? "(absent)"}");
}

public enum ReplayCheck
{
    /// <summary>Everything <see cref="TranscriptReplayer.AssertMatches"/> knows how to compare.</summary>
    Full,
    /// <summary>Status bodies whose message/name embed random data (generateName) or a Go diff: compare all else.</summary>
    StatusWithoutMessage,
    /// <summary>Code and headers only (the body depends on controllers or admission plugins the double does not run).</summary>
    StatusCodeOnly,
}
