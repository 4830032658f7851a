using System.Text.Json;

namespace SecurityOperator.Tests.Manifests;

/// <summary>What every container of the operator's own workloads must carry beyond Pod Security restricted (which the
/// own-audit test covers): uid/gid 65534, a read-only root filesystem, requests and limits, and liveness /healthz and
/// readiness /readyz on the metrics port 8080. Capabilities are dropped entirely except on the node agent, which may add
/// back only what eBPF needs.</summary>
public class WorkloadHardeningTests
{
    // The eBPF node agent's needs (manifests/node/daemonset.yaml says why): load programs and maps, trace, attach the
    // cgroup/connect programs, open /proc/<pid>/root of container processes (policy executables).
    private static readonly string[] NodeAgentCapabilities = ["BPF", "PERFMON", "NET_ADMIN", "SYS_PTRACE"];

    private static IEnumerable<(ManifestDocument Workload, JsonElement Container)> Containers(params string[] lists) =>
        ManifestTree.Objects
            .Select(d => (Doc: d, Pod: RbacManifestTests.PodSpec(d.Object)))
            .Where(x => x.Pod is not null)
            .SelectMany(x => lists
                .SelectMany(list => x.Pod!.Value.TryGetProperty(list, out var cs) ? cs.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Select(c => (x.Doc, c)));

    private static JsonElement? At(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element;
    }

    [Fact]
    public void Every_container_runs_as_65534_read_only_without_escalation_and_with_capabilities_dropped()
    {
        var problems = new List<string>();
        foreach (var (workload, container) in Containers("initContainers", "containers"))
        {
            var where = $"{workload} container {container.GetProperty("name").GetString()}";
            var context = At(container, "securityContext");
            void Expect(string field, string expected)
            {
                var value = context is { } c && c.TryGetProperty(field, out var v) ? v.GetRawText() : "(unset)";
                if (value != expected) problems.Add($"{where}: securityContext.{field} is {value}, want {expected}");
            }
            // The node agent alone runs as uid 0: Kubernetes gives a non-root container's added capabilities no effect
            // (no ambient capabilities), and it adds back only the three eBPF needs; everything else of root is dropped.
            var nodeAgent = workload.File.StartsWith("node/", StringComparison.Ordinal);
            Expect("runAsNonRoot", nodeAgent ? "false" : "true");
            Expect("runAsUser", nodeAgent ? "0" : "65534");
            Expect("runAsGroup", nodeAgent ? "0" : "65534");
            Expect("readOnlyRootFilesystem", "true");
            Expect("allowPrivilegeEscalation", "false");
            if (At(container, "securityContext", "seccompProfile", "type")?.GetString() != "RuntimeDefault"
                && At(workload.Object, "spec", "template", "spec", "securityContext", "seccompProfile", "type")?.GetString() != "RuntimeDefault")
                problems.Add($"{where}: seccompProfile is not RuntimeDefault");
            var drop = At(container, "securityContext", "capabilities", "drop");
            if (drop is null || !drop.Value.EnumerateArray().Any(d => d.GetString() == "ALL")) problems.Add($"{where}: capabilities.drop lacks ALL");
            var add = At(container, "securityContext", "capabilities", "add");
            var allowed = nodeAgent ? NodeAgentCapabilities : [];
            foreach (var cap in add?.EnumerateArray().Select(a => a.GetString() ?? "") ?? [])
                if (!allowed.Contains(cap.StartsWith("CAP_", StringComparison.Ordinal) ? cap[4..] : cap))
                    problems.Add($"{where}: adds capability {cap}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_container_has_requests_limits_and_health_probes_on_the_metrics_port()
    {
        var problems = new List<string>();
        // Init containers take no probes; the long-running containers are what the kubelet restarts and routes to.
        foreach (var (workload, container) in Containers("containers"))
        {
            var where = $"{workload} container {container.GetProperty("name").GetString()}";
            foreach (var kind in new[] { "requests", "limits" })
                foreach (var resource in new[] { "cpu", "memory" })
                    if (At(container, "resources", kind, resource) is null) problems.Add($"{where}: no resources.{kind}.{resource}");
            foreach (var (probe, path) in new[] { ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz") })
            {
                var get = At(container, probe, "httpGet");
                if (get is null) { problems.Add($"{where}: no {probe}.httpGet"); continue; }
                if (At(get.Value, "path")?.GetString() != path) problems.Add($"{where}: {probe} path is not {path}");
                var port = At(get.Value, "port");
                if (port is null || (port.Value.ValueKind == JsonValueKind.Number ? port.Value.GetInt32() != 8080 : !PortNamed(container, port.Value.GetString(), 8080)))
                    problems.Add($"{where}: {probe} is not on the metrics port 8080");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static bool PortNamed(JsonElement container, string? name, int number) =>
        container.TryGetProperty("ports", out var ports)
        && ports.EnumerateArray().Any(p => p.TryGetProperty("name", out var n) && n.GetString() == name && p.GetProperty("containerPort").GetInt32() == number);
}
