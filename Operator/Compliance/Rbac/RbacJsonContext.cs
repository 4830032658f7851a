using System.Text.Json.Serialization;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.Rbac;

/// <summary>Source-generated JSON metadata for the RBAC and ServiceAccount models (lists included).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RbacRole))]
[JsonSerializable(typeof(KubeList<RbacRole>))]
[JsonSerializable(typeof(RbacBinding))]
[JsonSerializable(typeof(KubeList<RbacBinding>))]
public sealed partial class RbacJsonContext : JsonSerializerContext;
