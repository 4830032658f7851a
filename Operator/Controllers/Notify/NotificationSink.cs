using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecurityOperator.Controllers.Notify;

/// <summary>A bounded in-memory queue in front of <see cref="NotifyClient"/>, sent from by one worker (in order) while
/// <see cref="RunAsync"/> runs, i.e. on the leader only. When the queue is full the OLDEST message is dropped (the
/// newest findings are the ones an operator is most likely still able to act on); drops are counted and logged at most
/// once per <see cref="NotifySettings.DropLogInterval"/>. When the run is cancelled, what is queued is still sent until
/// <see cref="NotifySettings.FlushTimeout"/>; whatever is left then is dropped (and counted).</summary>
public sealed class NotificationSink : IDisposable
{
    private readonly NotifySettings _settings;
    private readonly NotifyClient _client;
    private readonly NotifyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<NotifyMessage> _queue;
    private readonly Lock _dropLock = new();
    private long _droppedSinceLog;
    private DateTimeOffset _lastDropLog = DateTimeOffset.MinValue;

    public NotificationSink(NotifySettings settings, NotifyMetrics metrics, TimeProvider? time = null, ILogger? logger = null, NotifyClient? client = null)
    {
        if (settings.Url is null) throw new ArgumentException("a notification sink needs --notify-url", nameof(settings));
        if (settings.QueueSize < 1) throw new ArgumentException($"--notify-queue-size must be at least 1, got {settings.QueueSize}", nameof(settings));
        _settings = settings;
        _metrics = metrics;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _client = client ?? new NotifyClient(settings, metrics, _time, _logger);
        _queue = Channel.CreateBounded<NotifyMessage>(
            new BoundedChannelOptions(settings.QueueSize) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
    }

    /// <summary>Messages waiting.</summary>
    public int Depth => _queue.Reader.Count;

    /// <summary>Queues a message; never blocks (drops the oldest when full).</summary>
    public void Enqueue(NotifyMessage message)
    {
        _queue.Writer.TryWrite(message);
        _metrics.Queued.Inc();
        _metrics.QueueDepth.Set(Depth);
    }

    /// <summary>Sends until cancelled, then flushes what is queued within the flush deadline.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        NotifyMessage? inFlight = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                while (_queue.Reader.TryRead(out var message))
                {
                    _metrics.QueueDepth.Set(Depth);
                    inFlight = message;
                    await _client.SendAsync(message, cancellationToken).ConfigureAwait(false);
                    inFlight = null;
                }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        await FlushAsync(inFlight).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="interrupted"/> (the message whose sending the stop cut short) and the queue.</summary>
    private async Task FlushAsync(NotifyMessage? interrupted)
    {
        if (interrupted is null && Depth == 0) return;
        using var deadline = new CancellationTokenSource(_settings.FlushTimeout, _time);
        _logger.LogInformation("Notify: stopping, sending {Count} queued message(s) within {Timeout}", Depth + (interrupted is null ? 0 : 1), _settings.FlushTimeout);
        try
        {
            if (interrupted is not null) await _client.SendAsync(interrupted, deadline.Token).ConfigureAwait(false);
            while (_queue.Reader.TryRead(out var message))
            {
                _metrics.QueueDepth.Set(Depth);
                await _client.SendAsync(message, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Deadline passed mid-send: that message and the rest are dropped below.
            _metrics.Dropped.Inc();
        }
        var left = 0;
        while (_queue.Reader.TryRead(out _)) left++;
        _metrics.QueueDepth.Set(0);
        if (left == 0) return;
        _metrics.Dropped.Inc(left);
        _logger.LogWarning("Notify: {Count} message(s) not sent before the flush deadline ({Timeout}) and dropped", left, _settings.FlushTimeout);
    }

    private void OnDropped(NotifyMessage message)
    {
        _metrics.Dropped.Inc();
        var now = _time.GetUtcNow();
        long count;
        lock (_dropLock)
        {
            _droppedSinceLog++;
            if (now - _lastDropLog < _settings.DropLogInterval) return;
            count = _droppedSinceLog;
            _droppedSinceLog = 0;
            _lastDropLog = now;
        }
        _logger.LogWarning("Notify: queue full ({Size}), dropped the oldest message(s): {Count} since the last warning (latest {Id}); the sink is slower than findings arrive",
            _settings.QueueSize, count, message.Id);
    }

    public void Dispose() => _client.Dispose();
}
