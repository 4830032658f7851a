using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Controllers;

/// <summary>Tells when the leader's first pass is complete, so operators (and scripts/bench-controller.sh) need not
/// guess: the caches synced, every namespace that existed when leading began has been audited, and each of those
/// namespaces has its PolicyReport written (or found already current). Each milestone is logged once and set in the
/// gauge security_operator_controller_initial_pass_seconds{phase="sync|audit|reports"}, in seconds since the informers
/// started. A namespace deleted meanwhile counts as done.</summary>
public sealed class InitialAuditProgress
{
    private readonly Gauge _seconds;
    private readonly ILogger _logger;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private HashSet<string>? _toAudit;
    private HashSet<string>? _toReport;
    private int _namespaces;
    private long _objects;

    public InitialAuditProgress(MetricsRegistry metrics, ILogger logger)
    {
        _seconds = metrics.CreateGauge("security_operator_controller_initial_pass_seconds",
            "Seconds from informer start until the caches synced (sync), the first audit of every namespace was computed (audit) and their reports were written (reports).",
            "phase");
        _logger = logger;
    }

    /// <summary>The caches have synced and leading begins with these namespaces queued.</summary>
    public void Begin(IReadOnlyCollection<string> namespaces, int policies)
    {
        var synced = Elapsed();
        lock (_gate)
        {
            if (_toAudit is not null) return; // a second term of leadership: the first pass is long done or still counting
            _toAudit = new HashSet<string>(namespaces, StringComparer.Ordinal);
            _toReport = new HashSet<string>(namespaces, StringComparer.Ordinal);
            _namespaces = namespaces.Count;
        }
        _seconds.WithLabels("sync").Set(synced);
        _logger.LogInformation("Caches synced in {Seconds:F2} s; auditing {Namespaces} namespaces against {Policies} policies", synced,
            namespaces.Count, policies);
        LogMemory("sync");
        if (namespaces.Count > 0) return;
        AuditDone();
        ReportsDone();
    }

    /// <summary>The audit of <paramref name="namespace"/> was computed (over <paramref name="objects"/> objects).</summary>
    public void Audited(string @namespace, int objects)
    {
        lock (_gate)
        {
            // Not leading yet, already done, or a namespace that appeared after leading began (or was audited before).
            if (_toAudit is not { Count: > 0 } || !_toAudit.Remove(@namespace)) return;
            _objects += objects;
            if (_toAudit.Count > 0) return;
        }
        AuditDone();
    }

    /// <summary>The report of <paramref name="namespace"/> is written (or was already current, or is not needed).</summary>
    public void Reported(string @namespace)
    {
        lock (_gate)
        {
            if (_toReport is not { Count: > 0 } || !_toReport.Remove(@namespace) || _toReport.Count > 0) return;
        }
        ReportsDone();
    }

    private void AuditDone()
    {
        var seconds = Elapsed();
        _seconds.WithLabels("audit").Set(seconds);
        _logger.LogInformation("Initial audit done in {Seconds:F2} s: {Namespaces} namespaces, {Objects} objects", seconds, _namespaces,
            Interlocked.Read(ref _objects));
        LogMemory("audit");
    }

    private void ReportsDone()
    {
        var seconds = Elapsed();
        _seconds.WithLabels("reports").Set(seconds);
        _logger.LogInformation("Initial reports written in {Seconds:F2} s", seconds);
        LogMemory("reports");
    }

    /// <summary>Logs <see cref="MemoryReading.Now"/> for <paramref name="phase"/> (at information level).</summary>
    internal void LogMemory(string phase)
    {
        if (!_logger.IsEnabled(LogLevel.Information)) return;
        var m = MemoryReading.Now();
        _logger.LogInformation("Memory at {Phase}: managed heap {HeapMb:F1} MB (large objects {LargeObjectHeapMb:F1} MB, fragmented {FragmentedMb:F1} MB at the last GC), GC committed {CommittedMb:F1} MB, resident {ResidentMb:F1} MB, {Gen2} gen2 collections ({Gen0} gen0, {Gen1} gen1), {AllocatedMb:F0} MB allocated since start",
            phase, m.HeapMb, m.LargeObjectHeapMb, m.FragmentedMb, m.CommittedMb, m.ResidentMb, m.Gen2Collections, m.Gen0Collections, m.Gen1Collections, m.AllocatedMb);
    }

    private double Elapsed() => Stopwatch.GetElapsedTime(_started).TotalSeconds;
}
