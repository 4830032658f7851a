using System.Text.Json.Serialization;

namespace SecurityOperator.Signing;

/// <summary>Source-generated JSON for signatures. Nulls are written: cosign's payload says <c>"optional":null</c>.</summary>
[JsonSerializable(typeof(SimpleSigningPayload))]
public sealed partial class SigningJsonContext : JsonSerializerContext;
