using Microsoft.Extensions.Logging;

namespace SecurityOperator.Hosting.Logging;

/// <summary>One category's logger. Message templates' named holes become the "fields" object, so logs stay
/// machine-readable: logger.LogInformation("relisted {Resource} with {Count} objects", "pods", 42).</summary>
internal sealed class JsonLineLogger(JsonLineLoggerProvider provider, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.Minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var fields = state as IReadOnlyList<KeyValuePair<string, object?>>;
        provider.Enqueue(JsonLineFormatter.Format(provider.Clock.GetUtcNow(), logLevel, provider.Role, category,
            formatter(state, exception), fields, exception));
    }
}
