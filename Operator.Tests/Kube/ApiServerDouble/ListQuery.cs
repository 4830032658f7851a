using Microsoft.AspNetCore.Http;
using SecurityOperator.Tests.Kube.ApiServer.Selectors;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>The ListOptions of a LIST or WATCH request, parsed and checked with the server's messages.</summary>
internal sealed record ListQuery(
    LabelSelector Labels, FieldSelector Fields, int Limit, string? Continue, string? ResourceVersion,
    string? ResourceVersionMatch, bool Watch, bool AllowBookmarks, int? TimeoutSeconds)
{
    public static bool IsWatch(IQueryCollection q) => q["watch"] is var w && (w == "1" || w == "true");

    /// <summary>Throws 400 for bad selectors (pods-04 REQUEST 5/6) and 422 for ListOptions the v1.28 server refuses
    /// (watch-06: sendInitialEvents without the WatchList gate; resourceVersionMatch without resourceVersion).</summary>
    public static ListQuery Parse(IQueryCollection q, ResourceType type)
    {
        var watch = IsWatch(q);
        var rv = q["resourceVersion"].ToString();
        var rvMatch = q["resourceVersionMatch"].ToString();
        var causes = new List<FieldCause>();
        if (rvMatch.Length > 0 && rv.Length == 0)
            causes.Add(FieldCause.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
        if (q.ContainsKey("sendInitialEvents"))
        {
            if (watch)
            {
                // watch-06 REQUEST 1/2: only this cause, even without a resourceVersion.
                causes.Clear();
                causes.Add(FieldCause.Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"));
            }
            else causes.Add(FieldCause.Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }
        if (causes.Count > 0) throw StatusErrors.InvalidOptions("ListOptions", causes);

        LabelSelector labels;
        FieldSelector fields;
        try
        {
            labels = LabelSelector.Parse(q["labelSelector"]);
            fields = FieldSelector.Parse(q["fieldSelector"], type);
        }
        catch (FormatException e) { throw StatusErrors.BadRequest(e.Message); }

        var limit = int.TryParse(q["limit"], out var l) && l > 0 ? l : 0;
        int? timeout = int.TryParse(q["timeoutSeconds"], out var t) && t > 0 ? t : null;
        var cont = q["continue"].ToString();
        return new ListQuery(labels, fields, limit, cont.Length > 0 ? cont : null, rv.Length > 0 ? rv : null,
            rvMatch.Length > 0 ? rvMatch : null, watch, q["allowWatchBookmarks"] == "true" || q["allowWatchBookmarks"] == "1", timeout);
    }
}
