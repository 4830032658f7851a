using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Client;

// Raw requests and watches.
public sealed partial class KubeClient
{
    /// <summary>Any request, e.g. discovery (/apis) or a kind without a model. Returns status, content type, bytes and
    /// warnings whatever the status; nothing is thrown for non-2xx answers. <paramref name="path"/> includes the query.</summary>
    public Task<KubeRawResponse> RawAsync(HttpMethod method, string path, ReadOnlyMemory<byte>? body = null, string? contentType = null,
        CancellationToken cancellationToken = default) =>
        SendAsync("raw", method, path, body, contentType, cancellationToken);

    /// <summary>Opens a WATCH (watch=1, allowWatchBookmarks=true) from <paramref name="resourceVersion"/> with the given
    /// server-side timeout and returns the newline-delimited JSON body unread. A 410 answered as HTTP 410 throws
    /// <see cref="KubeGoneException"/>; the usual 410 arrives as an ERROR event inside the 200 stream (watch-03).</summary>
    public Task<Stream> WatchAsync(KubeResource resource, string? @namespace, string? labelSelector, string? fieldSelector,
        string resourceVersion, TimeSpan serverTimeout, CancellationToken cancellationToken = default)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(serverTimeout.TotalSeconds));
        var path = new KubeQuery(resource.CollectionPath(@namespace))
            .Add("watch", "1")
            .Add("allowWatchBookmarks", "true")
            .Add("resourceVersion", string.IsNullOrEmpty(resourceVersion) ? null : resourceVersion)
            .Add("timeoutSeconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("labelSelector", string.IsNullOrEmpty(labelSelector) ? null : labelSelector)
            .Add("fieldSelector", string.IsNullOrEmpty(fieldSelector) ? null : fieldSelector)
            .ToString();
        return OpenStreamAsync("watch", path, TimeSpan.FromSeconds(seconds) + _options.WatchTimeoutMargin, cancellationToken);
    }
}
