using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecurityOperator.Policy.Api;

/// <summary>spec.runtime: rules the node agent enforces on running containers of the pods the policy targets (same
/// spec.targets and spec.exclude as the admission rules).</summary>
public sealed class RuntimeSpec
{
    [JsonPropertyName("rules")] public List<RuntimeRuleSpec?>? Rules { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>One runtime rule: exactly one of executables, connect, sensitivePaths, and what to do on a match.</summary>
public sealed class RuntimeRuleSpec
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    /// <summary>Denied executables: absolute paths inside the container's filesystem.</summary>
    [JsonPropertyName("executables")] public List<string?>? Executables { get; set; }
    [JsonPropertyName("connect")] public RuntimeConnectSpec? Connect { get; set; }
    /// <summary>Absolute path globs whose opens alert.</summary>
    [JsonPropertyName("sensitivePaths")] public List<string?>? SensitivePaths { get; set; }
    /// <summary>log, event, kill, block, quarantine or {quarantine: {duration}}.</summary>
    [JsonPropertyName("response")] public List<JsonElement>? Response { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

public sealed class RuntimeConnectSpec
{
    [JsonPropertyName("denied")] public List<RuntimeDestinationSpec?>? Denied { get; set; }
    /// <summary>When present, every destination not listed here is denied.</summary>
    [JsonPropertyName("allowed")] public List<RuntimeDestinationSpec?>? Allowed { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

public sealed class RuntimeDestinationSpec
{
    [JsonPropertyName("cidr")] public string? Cidr { get; set; }
    [JsonPropertyName("port")] public int? Port { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
