using Microsoft.Extensions.Logging;

namespace SecurityOperator.Hosting.Logging;

/// <summary>The four level names of --log-level and of the "level" field, mapped to Microsoft.Extensions.Logging levels.</summary>
public static class LogLevels
{
    public static LogLevel Parse(string name) => name switch
    {
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => throw new ArgumentException($"unknown log level '{name}': use debug, info, warn or error"),
    };

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        _ => "error",
    };
}
