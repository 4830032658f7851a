using SecurityOperator.Kube.Models;
using SecurityOperator.Kube.Watch;

namespace SecurityOperator.Kube.Informers;

/// <summary>Applies an informer's transform (<see cref="SharedInformer{T}.SetTransform"/>) to each object as it is
/// decoded: the items of every LIST page and the object of every watch event. Without a transform it passes through.</summary>
internal sealed class TransformingListerWatcher<T>(IListerWatcher<T> inner, Func<Func<T, T>?> transform) : IListerWatcher<T>
    where T : class, IKubeObject
{
    public async Task<KubeList<T>> ListAsync(string? continueToken, int limit, CancellationToken cancellationToken)
    {
        var page = await inner.ListAsync(continueToken, limit, cancellationToken).ConfigureAwait(false);
        if (transform() is { } t)
            for (var i = 0; i < page.Items.Count; i++) page.Items[i] = t(page.Items[i]);
        return page;
    }

    public Task<Stream> WatchAsync(string resourceVersion, TimeSpan serverTimeout, CancellationToken cancellationToken) =>
        inner.WatchAsync(resourceVersion, serverTimeout, cancellationToken);

    public T Deserialize(ReadOnlySpan<byte> json) => transform() is { } t ? t(inner.Deserialize(json)) : inner.Deserialize(json);
}
