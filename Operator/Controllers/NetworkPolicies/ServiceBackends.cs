using System.Net;
using System.Text.Json;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.NetworkPolicies;

/// <summary>The pods behind a Service's ClusterIP and port. A connect to a ClusterIP is translated to a backend pod
/// after the syscall the node agent sees, and most CNI plugins apply NetworkPolicy to the translated connection, so a
/// rule must name the backend pods and the target port, not the ClusterIP. Only Services with a selector are resolved
/// (without one the endpoints are managed by hand); the target port is a number, a container port name, or the
/// Service port itself when absent.</summary>
public sealed class ServiceBackends
{
    private readonly Dictionary<string, Service> _byClusterIp = new(StringComparer.Ordinal);
    private readonly Func<string, IReadOnlyList<Pod>> _podsIn;

    public ServiceBackends(IEnumerable<Service> services, Func<string, IReadOnlyList<Pod>> podsIn)
    {
        _podsIn = podsIn;
        foreach (var service in services)
            foreach (var ip in (service.Spec?.ClusterIps ?? []).Append(service.Spec?.ClusterIp))
                if (ip is { Length: > 0 } && IPAddress.TryParse(ip, out var parsed)) _byClusterIp[parsed.ToString()] = service;
    }

    public static readonly ServiceBackends None = new([], _ => []);

    /// <summary>The backend pods and the port each listens on; empty when the address is no ClusterIP of a Service
    /// with a selector, or the Service has no such port.</summary>
    public IReadOnlyList<(Pod Pod, int Port)> Resolve(string address, int port, string protocol)
    {
        if (!_byClusterIp.TryGetValue(address, out var service) || service.Spec?.Selector is not { Count: > 0 } selector) return [];
        var servicePort = service.Spec.Ports?.FirstOrDefault(p => p.Port == port && string.Equals(p.Protocol ?? "TCP", protocol, StringComparison.OrdinalIgnoreCase));
        if (servicePort is null) return [];
        var backends = new List<(Pod, int)>();
        foreach (var pod in _podsIn(service.Metadata.Namespace ?? ""))
        {
            if (PodWorkload.UsesHostNetwork(pod) || !selector.All(s => pod.Metadata.Labels?.GetValueOrDefault(s.Key) == s.Value)) continue;
            if (TargetPort(servicePort, pod, protocol) is { } target) backends.Add((pod, target));
        }
        return backends;
    }

    private static int? TargetPort(ServicePort servicePort, Pod pod, string protocol)
    {
        if (servicePort.TargetPort is not { } target) return servicePort.Port;
        if (target.ValueKind == JsonValueKind.Number && target.TryGetInt32(out var number)) return number;
        if (target.ValueKind != JsonValueKind.String || target.GetString() is not { Length: > 0 } name) return servicePort.Port;
        if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var numeric)) return numeric;
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            if (container.Extra?.GetValueOrDefault("ports") is not { ValueKind: JsonValueKind.Array } ports) continue;
            foreach (var p in ports.EnumerateArray())
                if (p.ValueKind == JsonValueKind.Object && p.TryGetProperty("name", out var n) && n.GetString() == name
                    && p.TryGetProperty("containerPort", out var cp) && cp.TryGetInt32(out var containerPort)
                    && string.Equals(p.TryGetProperty("protocol", out var pr) ? pr.GetString() : "TCP", protocol, StringComparison.OrdinalIgnoreCase))
                    return containerPort;
        }
        return null;   // this pod does not declare the named port: it receives nothing from the Service
    }
}
