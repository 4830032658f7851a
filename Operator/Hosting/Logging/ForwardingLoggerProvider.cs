using Microsoft.Extensions.Logging;

namespace SecurityOperator.Hosting.Logging;

/// <summary>Hands a hosted framework's loggers to the process's one logger factory, so that its filters (set on the
/// framework's logging builder) apply before lines reach the JSON writer. Does not own the factory.</summary>
public sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
