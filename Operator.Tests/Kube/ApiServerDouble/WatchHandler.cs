using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>WATCH: HTTP 200, chunked, one compact JSON event per line, flushed per event (watch-01).
/// - resourceVersion unset or "0": synthetic ADDED for every matching object first (watch-02 REQUEST 1, watch-04);
/// - resourceVersion N: the events after N (watch-01), or, if N was compacted away, one ERROR event carrying a 410
///   Expired Status inside the 200 and then the end of the stream (watch-03 REQUEST 5/6);
/// - allowWatchBookmarks: a BOOKMARK every BookmarkInterval and one BookmarkBeforeDeadline before the deadline, each
///   only if the revision moved past the watch's start (watch-02 REQUEST 3 vs 5);
/// - timeoutSeconds: the server ends the body normally, no final event (watch-02).</summary>
internal sealed class WatchHandler(ObjectStore store, ApiServerDoubleOptions options)
{
    public async Task ServeAsync(HttpContext context, ResourceType type, string? @namespace, ListQuery query, CancellationToken serverStopping)
    {
        var sub = new WatchSubscription(type, @namespace, query.Labels, query.Fields, options.WatchQueueCapacity);
        List<byte[]> backlog = [];
        long startRevision;
        byte[]? expired = null;
        lock (store.Gate)
        {
            var current = store.CurrentRevisionUnlocked;
            if (query.ResourceVersion is null or "0" || !long.TryParse(query.ResourceVersion, out var from))
            {
                startRevision = current;
                backlog.AddRange(store.Snapshot(type, @namespace, current).Where(sub.Matches)
                    .Select(o => WatchSubscription.Frame("ADDED", o.Json)));
            }
            else if (from < store.CompactedUnlocked)
            {
                startRevision = from;
                expired = WatchSubscription.Frame("ERROR", JsonOutput.ToBytes(StatusErrors.TooOldResourceVersion(from, store.CompactedUnlocked)));
            }
            else
            {
                startRevision = from;
                byte[]? leaving = null;
                foreach (var e in store.EventsAfter(type, from))
                {
                    leaving = null;
                    if (sub.FrameFor(e, ref leaving) is { } frame) backlog.Add(frame);
                }
            }
            if (expired is null) store.Watches.Add(sub);
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.Headers.CacheControl = Http.Responses.CacheControl;
        response.ContentType = Http.Responses.JsonContentType;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, serverStopping);
        try
        {
            // Send the 200 and its headers now: a client waits for them before it considers the watch open.
            await response.StartAsync(stop.Token);
            await response.Body.FlushAsync(stop.Token);
            if (expired is not null)
            {
                await WriteAsync(response, expired, stop.Token);
                return;
            }
            foreach (var frame in backlog) await WriteAsync(response, frame, stop.Token);
            await PumpAsync(response, sub, query, startRevision, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // client went away or the double is stopping
        }
        finally
        {
            lock (store.Gate) store.Watches.Remove(sub);
        }
    }

    private async Task PumpAsync(HttpResponse response, WatchSubscription sub, ListQuery query, long startRevision, CancellationToken stop)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var deadline = startedAt + (query.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : options.DefaultWatchTimeout);
        var nextBookmark = query.AllowBookmarks ? NextBookmarkTime(startedAt, startedAt, deadline) : DateTimeOffset.MaxValue;
        var reader = sub.Frames.Reader;
        while (true)
        {
            var now = DateTimeOffset.UtcNow;
            if (now >= deadline) return;
            if (now >= nextBookmark)
            {
                QueueBookmark(sub, startRevision);
                nextBookmark = NextBookmarkTime(now, startedAt, deadline);
            }
            var wake = nextBookmark < deadline ? nextBookmark : deadline;
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timer.CancelAfter(Max(wake - DateTimeOffset.UtcNow, TimeSpan.Zero));
            try
            {
                if (!await reader.WaitToReadAsync(timer.Token)) return; // ended: CloseWatches, overflow, or ExpireAllWatches
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                continue; // a timer fired: bookmark or deadline
            }
            while (reader.TryRead(out var frame)) await WriteAsync(response, frame, stop);
        }
    }

    /// <summary>watch-01: bookmarks at start+interval, start+2×interval ..., and one at deadline-2s (the real cache
    /// schedules min(next interval, deadline-2s)).</summary>
    private DateTimeOffset NextBookmarkTime(DateTimeOffset now, DateTimeOffset startedAt, DateTimeOffset deadline)
    {
        var periodic = startedAt + options.BookmarkInterval;
        while (periodic <= now) periodic += options.BookmarkInterval;
        var beforeDeadline = deadline - options.BookmarkBeforeDeadline;
        return beforeDeadline > now && beforeDeadline < periodic ? beforeDeadline : periodic;
    }

    /// <summary>Queued under the store lock so a bookmark never overtakes an event already queued for this watch.</summary>
    private void QueueBookmark(WatchSubscription sub, long startRevision)
    {
        lock (store.Gate)
        {
            var revision = store.CurrentRevisionUnlocked;
            if (revision <= startRevision) return; // watch-02 REQUEST 3: no progress, no bookmark
            sub.Frames.Writer.TryWrite(WatchSubscription.Frame("BOOKMARK", JsonOutput.ToBytes(BookmarkObject(sub.Type, revision))));
        }
    }

    /// <summary>watch-01 frame 9: a skeleton of the type whose only meaningful field is metadata.resourceVersion. Pods
    /// carry the recorded empty spec/status; custom resources are apiVersion, kind, metadata only.</summary>
    public static JsonObject BookmarkObject(ResourceType type, long revision)
    {
        if (type.IsCustom)
            return new JsonObject
            {
                ["apiVersion"] = type.ApiVersion,
                ["kind"] = type.Kind,
                ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString() },
            };
        var bookmark = new JsonObject
        {
            ["kind"] = type.Kind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(), ["creationTimestamp"] = null },
        };
        if (type == ResourceCatalog.Pods)
        {
            bookmark["spec"] = new JsonObject { ["containers"] = null };
            bookmark["status"] = new JsonObject();
        }
        return bookmark;
    }

    private static async Task WriteAsync(HttpResponse response, byte[] frame, CancellationToken token)
    {
        await response.Body.WriteAsync(frame, token);
        await response.Body.FlushAsync(token);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
