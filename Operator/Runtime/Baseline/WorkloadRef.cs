using System.Security.Cryptography;
using System.Text;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>The workload a pod belongs to: the controller at the top of its owner chain as far as the pod itself tells
/// (a ReplicaSet made by a Deployment is named Deployment). Replicas share it, so they share one baseline.</summary>
public sealed record WorkloadRef(string Namespace, string Kind, string Name)
{
    /// <summary>Kubernetes object names are at most 253 characters (DNS subdomain).</summary>
    public const int MaxObjectName = 253;

    private const string Prefix = "security-operator-baseline-";

    /// <summary>"security-operator-baseline-deployment-web"; a name that would exceed 253 characters is cut and ends
    /// with 10 hex digits of a SHA-256 of the full name, so two long names never share a ConfigMap.</summary>
    public string ConfigMapName
    {
        get
        {
            var name = $"{Prefix}{Kind.ToLowerInvariant()}-{Name}";
            if (name.Length <= MaxObjectName) return name;
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..10];
            return $"{name[..(MaxObjectName - 11)].TrimEnd('-', '.')}-{hash}";
        }
    }

    public override string ToString() => $"{Kind.ToLowerInvariant()}/{Namespace}/{Name}";
}
