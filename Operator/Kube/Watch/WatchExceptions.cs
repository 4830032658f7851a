namespace SecurityOperator.Kube.Watch;

/// <summary>A watch frame that is not a well-formed watch event (bad JSON, unknown type, missing object). The stream can
/// no longer be trusted, but the last resourceVersion still can: the watcher backs off and re-watches from it.</summary>
public sealed class WatchProtocolException : IOException
{
    public WatchProtocolException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>One watch frame (one line) longer than the configured limit. Re-watching would meet the same frame again, so
/// the watcher relists instead (a LIST response is not subject to the per-line limit). Not an IOException on purpose:
/// it must not be mistaken for a network error.</summary>
public sealed class WatchFrameTooLargeException : Exception
{
    public WatchFrameTooLargeException(long limitBytes)
        : base($"watch frame longer than the {limitBytes}-byte limit (WatcherOptions.MaxFrameBytes); relisting instead")
    {
        LimitBytes = limitBytes;
    }

    public long LimitBytes { get; }
}
