namespace SecurityOperator.Controllers.Notify;

/// <summary>The HTTP sink of the notify action (flags --notify-*; Flags.cs says where each default comes from).
/// <see cref="Url"/> null: no sink, nothing is posted (Events are written either way).</summary>
public sealed record NotifySettings
{
    /// <summary>Where findings are POSTed (--notify-url; http or https, validated by <see cref="NotifyUrl"/>).</summary>
    public Uri? Url { get; init; }

    /// <summary>File holding the bearer token (--notify-token-file), read again before every POST so a rotated
    /// Secret volume takes effect at once. Null: no Authorization header.</summary>
    public string? TokenFile { get; init; }

    /// <summary>Time limit of one POST attempt (--notify-timeout).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Further attempts after a retryable failure (--notify-retries).</summary>
    public int Retries { get; init; } = 3;

    /// <summary>First retry delay; doubled per attempt with full jitter, capped by <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts, also the cap on a sink's Retry-After.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages waiting to be sent at most (--notify-queue-size); when full the oldest is dropped.</summary>
    public int QueueSize { get; init; } = 1000;

    /// <summary>A finding still open after this long is notified again (--notify-renotify-interval); zero: never.</summary>
    public TimeSpan RenotifyInterval { get; init; } = TimeSpan.FromHours(4);

    /// <summary>After stop (or a lost lease), how long queued messages may still be sent.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Least time between two "dropped" warnings in the log.</summary>
    public TimeSpan DropLogInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Name of the cluster put in every message (--notify-cluster-name); the API has no cluster name to read.</summary>
    public string Cluster { get; init; } = "";
}
