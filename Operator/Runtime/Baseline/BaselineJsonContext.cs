using System.Text.Json.Serialization;

namespace SecurityOperator.Runtime.Baseline;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BaselineDocument))]
[JsonSerializable(typeof(BaselineConfigMap))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
