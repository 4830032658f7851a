using System.Text.Json.Serialization;

namespace SecurityOperator.Kube.Config;

/// <summary>Source-generated JSON for kubeconfig files and exec-plugin credentials (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubeconfigDocument))]
[JsonSerializable(typeof(ExecCredential))]
public sealed partial class KubeconfigJsonContext : JsonSerializerContext;
