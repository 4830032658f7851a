using System.Security.Cryptography;
using System.Text.Json;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>Marks of the NetworkPolicies this operator creates: the managed-by label (the only objects it ever changes
/// or deletes), a purpose label, and a hash of the spec it wrote. Comparing hashes instead of specs makes
/// re-generation a no-op even though the API server fills in defaults (protocol TCP, policyTypes) on what it stores.</summary>
public static class ManagedNetworkPolicy
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by", ManagedByValue = "security-operator";
    public const string PurposeLabel = "security.io/network-policy";
    public const string HashAnnotation = "security.io/content-hash";

    public static NetworkPolicy Create(string ns, string name, string purpose, NetworkPolicySpec spec, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var policy = new NetworkPolicy
        {
            Metadata = new ObjectMeta
            {
                Name = name, Namespace = ns,
                Labels = new() { [ManagedByLabel] = ManagedByValue, [PurposeLabel] = purpose },
                Annotations = new(annotations ?? new Dictionary<string, string>()) { [HashAnnotation] = Hash(spec) },
            },
            Spec = spec,
        };
        return policy;
    }

    public static bool IsManaged(NetworkPolicy policy) =>
        policy.Metadata.Labels?.GetValueOrDefault(ManagedByLabel) == ManagedByValue;

    public static string? HashOf(NetworkPolicy policy) => policy.Metadata.Annotations?.GetValueOrDefault(HashAnnotation);

    /// <summary>First 16 hex digits of SHA-256 over the spec's JSON (source-generated, so property order is fixed).</summary>
    public static string Hash(NetworkPolicySpec spec) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(spec, KubeJsonContext.Default.NetworkPolicySpec)))[..16];

    /// <summary>"name in (a,b)"-free selector text for LIST: every managed policy of one purpose.</summary>
    public static string Selector(string purpose) => $"{ManagedByLabel}={ManagedByValue},{PurposeLabel}={purpose}";
}
