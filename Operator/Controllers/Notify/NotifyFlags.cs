using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Controllers.Notify;

/// <summary>Builds <see cref="NotifySettings"/> from the already validated --notify-* flags.</summary>
public static class NotifyFlags
{
    public static NotifySettings Read(OperatorOptions options)
    {
        Uri? url = null;
        if (options.GetString(Flags.NotifyUrl) is { Length: > 0 } text && NotifyUrl.TryParse(text, out var parsed, out _)) url = parsed;
        return new NotifySettings
        {
            Url = url,
            TokenFile = options.GetString(Flags.NotifyTokenFile) is { Length: > 0 } file ? file : null,
            Timeout = options.GetDuration(Flags.NotifyTimeout),
            Retries = options.GetInt(Flags.NotifyRetries),
            QueueSize = options.GetInt(Flags.NotifyQueueSize),
            RenotifyInterval = options.GetDuration(Flags.NotifyRenotifyInterval),
            Cluster = options.GetString(Flags.NotifyClusterName) ?? "",
        };
    }
}
