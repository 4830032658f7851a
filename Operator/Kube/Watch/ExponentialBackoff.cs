namespace SecurityOperator.Kube.Watch;

/// <summary>The stateful side of a <see cref="BackoffPolicy"/>: consecutive calls to <see cref="Next"/> grow the wait by
/// Factor up to Max; a call that comes more than ResetAfter after the previous one starts over from Initial (the
/// previous failure was long ago, so the server is taken as healthy again). Not thread-safe: one per watch loop.</summary>
public sealed class ExponentialBackoff
{
    private readonly BackoffPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private TimeSpan _current;
    private DateTimeOffset? _lastBackoffAt;

    public ExponentialBackoff(BackoffPolicy policy, TimeProvider time, Func<double> random)
    {
        _policy = policy;
        _time = time;
        _random = random;
        _current = policy.Initial;
    }

    /// <summary>The wait before the next retry.</summary>
    public TimeSpan Next()
    {
        var now = _time.GetUtcNow();
        if (_lastBackoffAt is { } last && now - last > _policy.ResetAfter) _current = _policy.Initial;
        _lastBackoffAt = now;

        var wait = _current;
        var grown = TimeSpan.FromTicks((long)Math.Min(_current.Ticks * _policy.Factor, _policy.Max.Ticks));
        _current = grown < _policy.Initial ? _policy.Initial : grown;
        return _policy.Jitter > 0 ? wait + TimeSpan.FromTicks((long)(_random() * _policy.Jitter * wait.Ticks)) : wait;
    }
}
