using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Watch;

/// <summary>The two calls a watch loop needs, for one resource type and scope (a namespace or all, plus selectors).
/// Implemented over the REST client; tests implement it directly. Both calls throw
/// <see cref="Client.KubeApiException"/> for non-2xx answers (410 Gone included).</summary>
public interface IListerWatcher<T> where T : class, IKubeObject
{
    /// <summary>One LIST page. <paramref name="continueToken"/> null for the first page; the page size is <paramref name="limit"/>.</summary>
    Task<KubeList<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken);

    /// <summary>Opens a WATCH from <paramref name="resourceVersion"/> with allowWatchBookmarks=true and the given server-side
    /// timeout, and returns the newline-delimited JSON body of the 200 response, unread. The caller disposes it.</summary>
    Task<Stream> WatchAsync(string resourceVersion, TimeSpan serverTimeout, CancellationToken cancellationToken);

    /// <summary>Decodes one object of the watched type from its JSON (the "object" member of a watch event).</summary>
    T Deserialize(ReadOnlySpan<byte> json);
}
