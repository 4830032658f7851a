using System.Text.Json;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Compliance.Rbac;

/// <summary>The section 5 checks of pods (5.1.6 token mounts, 5.2.x through the policy engine, 5.4.1 Secrets in env),
/// one pod at a time: only the offender lines are kept, not the pods, so the controller's scan can check a large
/// cluster page by page (<see cref="ClusterObjectLoader.ForEachPodAsync"/>). Created by
/// <see cref="ClusterPolicyScanner.CheckPods"/>; not thread-safe.</summary>
public sealed class PodComplianceChecks
{
    private readonly Dictionary<string, bool?> _automountBySa;
    private readonly IReadOnlySet<string> _skipNamespaces;
    private readonly PodFacts _facts = new();
    private readonly ViolationBuffer _violations = new();
    private readonly Dictionary<string, List<string>> _offenders = new(StringComparer.Ordinal);

    internal PodComplianceChecks(IReadOnlyList<ServiceAccount> serviceAccounts, IReadOnlySet<string> skipNamespaces)
    {
        _automountBySa = serviceAccounts.ToDictionary(a => $"{a.Metadata.Namespace}/{a.Metadata.Name}", a => a.AutomountServiceAccountToken);
        _skipNamespaces = skipNamespaces;
    }

    /// <summary>Offender lines by check id (unsorted; the scanner sorts and bounds them).</summary>
    public IReadOnlyDictionary<string, List<string>> Offenders => _offenders;

    /// <summary>Pods checked so far (pods in skipped namespaces included).</summary>
    public int Count { get; private set; }

    /// <summary>Forgets every pod checked so far (a listing that restarts from its first page).</summary>
    public void Clear()
    {
        _offenders.Clear();
        Count = 0;
    }

    public void Check(PodJson pod) => Check(pod.Namespace, pod.Name, pod.Json);

    /// <summary>Checks one pod given as its JSON (metadata and spec are what the checks read; status may be left out),
    /// e.g. from a synced cache whose buffer is reused for the next pod: nothing keeps <paramref name="json"/>.</summary>
    public void Check(string @namespace, string podName, ReadOnlyMemory<byte> json)
    {
        Count++;
        if (_skipNamespaces.Contains(@namespace)) return;
        var name = $"Pod {@namespace}/{podName}";
        var policies = HostNamespacePolicy.Set;
        var result = PolicyEvaluator.Evaluate(json.Span, policies, _facts, _violations, new EvaluationRequest("Pod", @namespace));
        if (result.HasViolations)
            foreach (var v in ViolationFormatter.FormatAll(_violations, json.Span, result, policies, _facts))
                Add(HostNamespacePolicy.CheckIdOf(v.Rule), v.Container is null ? $"{name}: {v.FieldPath}" : $"{name}: container {v.Container} {v.FieldPath}");
        CheckJson(@namespace, json, name);
    }

    // Token mounting and Secrets in env are read from the pod JSON directly: they are not policy engine conditions
    // of their own (exposedSecrets also flags literal credentials, which is not what 5.4.1 asks).
    private void CheckJson(string @namespace, ReadOnlyMemory<byte> json, string name)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("spec", out var spec)) return;
        var account = spec.TryGetProperty("serviceAccountName", out var sa) && sa.ValueKind == JsonValueKind.String ? sa.GetString()! : "default";
        bool? podAutomount = spec.TryGetProperty("automountServiceAccountToken", out var a) && a.ValueKind is JsonValueKind.True or JsonValueKind.False ? a.GetBoolean() : null;
        var automount = podAutomount ?? _automountBySa.GetValueOrDefault($"{@namespace}/{account}") ?? true;
        if (automount) Add(ClusterPolicyChecks.TokenMounts.Id, $"{name}: mounts the token of ServiceAccount {account}");
        foreach (var list in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            if (!spec.TryGetProperty(list, out var containers) || containers.ValueKind != JsonValueKind.Array) continue;
            foreach (var container in containers.EnumerateArray())
            {
                var containerName = container.TryGetProperty("name", out var n) ? n.GetString() : "?";
                if (container.TryGetProperty("env", out var env) && env.ValueKind == JsonValueKind.Array)
                    foreach (var variable in env.EnumerateArray())
                        if (variable.TryGetProperty("valueFrom", out var from) && from.TryGetProperty("secretKeyRef", out var secret))
                            Add(ClusterPolicyChecks.SecretsAsEnv.Id,
                                $"{name}: container {containerName} env {variable.GetProperty("name").GetString()} from Secret {NameOf(secret)}");
                if (container.TryGetProperty("envFrom", out var envFrom) && envFrom.ValueKind == JsonValueKind.Array)
                    foreach (var source in envFrom.EnumerateArray())
                        if (source.TryGetProperty("secretRef", out var secret))
                            Add(ClusterPolicyChecks.SecretsAsEnv.Id, $"{name}: container {containerName} envFrom Secret {NameOf(secret)}");
            }
        }
    }

    private void Add(string checkId, string line)
    {
        if (!_offenders.TryGetValue(checkId, out var lines)) _offenders[checkId] = lines = [];
        lines.Add(line);
    }

    private static string NameOf(JsonElement reference) =>
        reference.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "?";
}
