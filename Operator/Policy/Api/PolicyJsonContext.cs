using System.Text.Json.Serialization;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Policy.Api;

/// <summary>Source-generated JSON for the policy API (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SecurityPolicy))]
[JsonSerializable(typeof(ClusterSecurityPolicy))]
[JsonSerializable(typeof(KubeList<SecurityPolicy>))]
[JsonSerializable(typeof(KubeList<ClusterSecurityPolicy>))]
[JsonSerializable(typeof(SecurityPolicyStatus))]
public sealed partial class PolicyJsonContext : JsonSerializerContext;
