using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Http;

/// <summary>Queued failures: the next N requests matching a method and a path fragment get a given status and body
/// instead of being served. Checked before authentication, so any request can be made to fail.</summary>
internal sealed class FaultInjector
{
    private readonly List<Fault> _faults = [];

    public void Add(string? method, string pathContains, int code, JsonObject body, int times, IReadOnlyDictionary<string, string> headers)
    {
        lock (_faults) _faults.Add(new Fault(method, pathContains, code, body, headers) { Remaining = times });
    }

    public StatusError? Take(string method, string pathAndQuery)
    {
        lock (_faults)
        {
            var fault = _faults.FirstOrDefault(f =>
                (f.Method is null or "*" || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase))
                && pathAndQuery.Contains(f.PathContains, StringComparison.Ordinal));
            if (fault is null) return null;
            if (--fault.Remaining <= 0) _faults.Remove(fault);
            var error = new StatusError(fault.Code, (JsonObject)fault.Body.DeepClone());
            foreach (var (k, v) in fault.Headers) error.Headers[k] = v;
            return error;
        }
    }

    private sealed record Fault(string? Method, string PathContains, int Code, JsonObject Body, IReadOnlyDictionary<string, string> Headers)
    {
        public int Remaining { get; set; }
    }
}
