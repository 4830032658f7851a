using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecurityOperator.Kube.Queue;

/// <summary>Runs N workers over a <see cref="WorkQueue{TKey}"/>: each takes a key, reconciles it, and on success calls
/// Forget, on failure AddRateLimited (per-key backoff), and always Done. The queue guarantees no key is reconciled by two
/// workers at once.</summary>
public static class WorkQueueWorkers
{
    /// <summary>Returns when the queue is shut down (and, in drain mode, drained) or <paramref name="cancellationToken"/>
    /// is cancelled. The token is also passed to each reconcile; a reconcile cancelled by it is not retried.</summary>
    public static Task RunAsync<TKey>(WorkQueue<TKey> queue, int workers, Func<TKey, CancellationToken, Task> reconcile,
        CancellationToken cancellationToken, ILogger? logger = null) where TKey : notnull
    {
        if (workers <= 0) throw new ArgumentOutOfRangeException(nameof(workers), workers, "at least one worker is needed");
        logger ??= NullLogger.Instance;
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(queue, reconcile, logger, cancellationToken))));
    }

    private static async Task WorkAsync<TKey>(WorkQueue<TKey> queue, Func<TKey, CancellationToken, Task> reconcile, ILogger logger,
        CancellationToken cancellationToken) where TKey : notnull
    {
        while (true)
        {
            (bool Ok, TKey Key) item;
            try
            {
                item = await queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            if (!item.Ok) return;
            try
            {
                await reconcile(item.Key, cancellationToken).ConfigureAwait(false);
                queue.Forget(item.Key);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping: not a failure of the key.
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Reconcile of {Key} failed (attempt {Attempt}); retrying with backoff", item.Key, queue.NumRequeues(item.Key) + 1);
                queue.AddRateLimited(item.Key);
            }
            finally
            {
                queue.Done(item.Key);
            }
        }
    }
}
