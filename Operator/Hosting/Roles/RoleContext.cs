using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Hosting.Roles;

/// <summary>What every role gets from the host: its options, the process's one logger factory, metrics registry and
/// health state, and the standard streams (injectable for tests).</summary>
public sealed record RoleContext(
    OperatorOptions Options,
    ILoggerFactory LoggerFactory,
    MetricsRegistry Metrics,
    HealthState Health,
    TextReader Stdin,
    TextWriter Stdout,
    TextWriter Stderr)
{
    /// <summary>Documents the role serves on the metrics port (shared with the operational server).</summary>
    public OperationalDocuments Documents { get; init; } = new();
}
