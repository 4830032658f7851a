using System.Text.Json.Serialization;

namespace SecurityOperator.Admission.Certificates;

/// <summary>Source-generated JSON for the certificate manager's objects (no reflection). Nulls are not written.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookConfiguration))]
public sealed partial class CertificatesJsonContext : JsonSerializerContext;
