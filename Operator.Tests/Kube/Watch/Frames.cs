namespace SecurityOperator.Tests.Kube.Watch;

/// <summary>Watch frames exactly as kube-apiserver writes them (compact JSON, one per line, see watch-01 and watch-03).</summary>
internal static class Frames
{
    public static string Added(TestObject o) => "{\"type\":\"ADDED\",\"object\":" + o.ToJson() + "}";
    public static string Modified(TestObject o) => "{\"type\":\"MODIFIED\",\"object\":" + o.ToJson() + "}";
    public static string Deleted(TestObject o) => "{\"type\":\"DELETED\",\"object\":" + o.ToJson() + "}";

    /// <summary>watch-01 frame 9: a skeleton object with only metadata.resourceVersion meaningful.</summary>
    public static string Bookmark(string rv) =>
        "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" + rv +
        "\",\"creationTimestamp\":null},\"spec\":{\"containers\":null},\"status\":{}}}";

    /// <summary>watch-03 RESPONSE 5: the 410 inside an HTTP 200 stream.</summary>
    public static string Gone(string askedRv = "258") =>
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\"," +
        "\"message\":\"too old resource version: " + askedRv + " (342)\",\"reason\":\"Expired\",\"code\":410}}";

    public static string Error(int code, string reason) =>
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\"," +
        "\"message\":\"internal error\",\"reason\":\"" + reason + "\",\"code\":" + code + "}}";
}
