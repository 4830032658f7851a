namespace SecurityOperator.Hosting;

/// <summary>What /healthz and /readyz answer. Liveness: the process serves HTTP and no part reported itself broken.
/// Readiness: every registered check passes (e.g. "informers synced") and the process is not shutting down, so
/// Kubernetes stops routing to a terminating pod before it stops serving.</summary>
public sealed class HealthState
{
    private readonly object _gate = new();
    private readonly List<(string Name, Func<bool> Check)> _readiness = new();
    private readonly Dictionary<string, string> _broken = new(StringComparer.Ordinal);
    private volatile bool _shuttingDown;

    public void AddReadinessCheck(string name, Func<bool> check)
    {
        lock (_gate) _readiness.Add((name, check));
    }

    /// <summary>A part that cannot recover (e.g. a loop that died) marks liveness failed so the kubelet restarts the pod.</summary>
    public void ReportBroken(string part, string reason)
    {
        lock (_gate) _broken[part] = reason;
    }

    public void MarkShuttingDown() => _shuttingDown = true;

    public (bool Ok, string Report) Live()
    {
        lock (_gate)
            return _broken.Count == 0
                ? (true, "ok\n")
                : (false, string.Concat(_broken.OrderBy(b => b.Key).Select(b => $"[-] {b.Key}: {b.Value}\n")));
    }

    public (bool Ok, string Report) Ready()
    {
        (string Name, Func<bool> Check)[] checks;
        lock (_gate) checks = _readiness.ToArray();
        var lines = new List<string>();
        var ok = !_shuttingDown;
        if (_shuttingDown) lines.Add("[-] shutdown: in progress");
        foreach (var (name, check) in checks)
        {
            bool passed;
            try { passed = check(); }
            catch (Exception) { passed = false; }
            ok &= passed;
            lines.Add(passed ? $"[+] {name}" : $"[-] {name}");
        }
        lines.Add(ok ? "ok" : "not ready");
        return (ok, string.Join('\n', lines) + "\n");
    }
}
