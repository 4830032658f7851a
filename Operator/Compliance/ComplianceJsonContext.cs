using System.Text.Json.Serialization;
using SecurityOperator.Compliance.Cis;

namespace SecurityOperator.Compliance;

/// <summary>Source-generated JSON metadata for the compliance reports (no reflection, AOT-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CisReport))]
public sealed partial class ComplianceJsonContext : JsonSerializerContext;
