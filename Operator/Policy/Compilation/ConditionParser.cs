using System.Text.Json;
using SecurityOperator.Kube.Selectors;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Policy.PodSecurity;

namespace SecurityOperator.Policy.Compilation;

/// <summary>Parses one entry of rules[].conditions: a map with exactly one key, the condition kind, whose value holds
/// the parameters. A boolean condition set to false is accepted and compiles to nothing (switched off).</summary>
internal static class ConditionParser
{
    /// <summary><paramref name="scope"/> and <paramref name="policyNamespace"/>: the policy's, for conditions that
    /// refer to namespaced objects (imageSignature's secretRef).</summary>
    public static Condition? Parse(JsonElement entry, string path, List<string> errors, PolicyScope scope, string? policyNamespace)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be a map with one condition key (e.g. runAsRoot: true), found {PolicyCompiler.Describe(entry.ValueKind)}");
            return null;
        }
        var count = 0;
        JsonProperty property = default;
        foreach (var p in entry.EnumerateObject()) { property = p; count++; }
        if (count != 1)
        {
            errors.Add($"{path}: must have exactly one condition key, found {count}");
            return null;
        }
        var key = property.Name;
        if (!ConditionKeys.TryParse(key, out var kind))
        {
            errors.Add($"{path}.{key}: unknown condition (expected one of {string.Join(", ", ConditionKeys.All)})");
            return null;
        }
        return ParseValue(kind, property.Value, $"{path}.{key}", errors, scope, policyNamespace);
    }

    private static Condition? ParseValue(ConditionKind kind, JsonElement value, string path, List<string> errors, PolicyScope scope, string? policyNamespace)
    {
        switch (kind)
        {
            case ConditionKind.ImageNotFromRegistry:
            {
                var prefixes = StringList(value, path, "must be a non-empty list of registry prefixes", errors);
                if (prefixes is null) return null;
                var normalized = new List<string>();
                for (var i = 0; i < prefixes.Count; i++)
                {
                    if (ImageNotFromRegistryCondition.NormalizePrefix(prefixes[i]) is { } n) normalized.Add(n);
                    else errors.Add($"{path}[{i}]: \"{prefixes[i]}\" is not a registry or repository prefix (e.g. registry.example.com or gcr.io/project)");
                }
                return normalized.Count == prefixes.Count ? new ImageNotFromRegistryCondition(normalized) : null;
            }
            case ConditionKind.ForbiddenImages:
            {
                var globs = StringList(value, path, "must be a non-empty list of image patterns (* and ? wildcards)", errors);
                return globs is null ? null : new ForbiddenImagesCondition(globs);
            }
            case ConditionKind.HostPath: return ParseHostPath(value, path, errors);
            case ConditionKind.MissingResourceLimits or ConditionKind.MissingResourceRequests:
            {
                if (value.ValueKind is JsonValueKind.True) return new MissingResourcesCondition(kind, MissingResourcesCondition.DefaultResources);
                if (value.ValueKind is JsonValueKind.False) return null;
                var resources = StringList(value, path, "must be true, false or a non-empty list of resource names (e.g. [cpu, memory])", errors);
                if (resources is null) return null;
                var valid = true;
                for (var i = 0; i < resources.Count; i++)
                    if (LabelSyntax.KeyError(resources[i]) is { } problem) { errors.Add($"{path}[{i}]: \"{resources[i]}\" is not a resource name: {problem}"); valid = false; }
                return valid ? new MissingResourcesCondition(kind, resources) : null;
            }
            case ConditionKind.UnsafeCapabilities:
            {
                if (value.ValueKind is JsonValueKind.True) return new UnsafeCapabilitiesCondition(UnsafeCapabilitiesCondition.DefaultList);
                if (value.ValueKind is JsonValueKind.False) return null;
                var capabilities = StringList(value, path, "must be true, false or a non-empty list of capability names (e.g. [SYS_ADMIN, NET_RAW])", errors);
                if (capabilities is null) return null;
                var valid = true;
                for (var i = 0; i < capabilities.Count; i++)
                {
                    var normalized = UnsafeCapabilitiesCondition.Normalize(capabilities[i]);
                    if (normalized.Length == 0 || !normalized.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
                    { errors.Add($"{path}[{i}]: \"{capabilities[i]}\" is not a capability name"); valid = false; }
                }
                return valid ? new UnsafeCapabilitiesCondition(capabilities) : null;
            }
            case ConditionKind.RequiredLabels:
            {
                var keys = StringList(value, path, "must be a non-empty list of label keys", errors);
                if (keys is null) return null;
                var valid = true;
                for (var i = 0; i < keys.Count; i++)
                    if (LabelSyntax.KeyError(keys[i]) is { } problem) { errors.Add($"{path}[{i}]: \"{keys[i]}\" is not a label key: {problem}"); valid = false; }
                return valid ? new RequiredLabelsCondition(keys) : null;
            }
            case ConditionKind.MaxContainers:
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var max) && max > 0) return new MaxContainersCondition(max);
                errors.Add($"{path}: must be a positive integer, found {Show(value)}");
                return null;
            case ConditionKind.PodSecurity: return ParsePodSecurity(value, path, errors);
            case ConditionKind.ImageSignature: return ImageSignatureParser.Parse(value, path, errors, scope, policyNamespace);
            default:
                if (value.ValueKind == JsonValueKind.False) return null;
                if (value.ValueKind != JsonValueKind.True)
                {
                    errors.Add($"{path}: must be true or false, found {Show(value)}");
                    return null;
                }
                return kind switch
                {
                    ConditionKind.ImageTagLatestOrMissing => new ImageTagLatestOrMissingCondition(),
                    ConditionKind.ImageNotPinnedByDigest => new ImageNotPinnedByDigestCondition(),
                    ConditionKind.RunAsRoot => new RunAsRootCondition(),
                    ConditionKind.PrivilegedContainer => new PrivilegedContainerCondition(),
                    ConditionKind.AllowPrivilegeEscalation => new AllowPrivilegeEscalationCondition(),
                    ConditionKind.HostNetwork or ConditionKind.HostPID or ConditionKind.HostIPC => new HostNamespaceCondition(kind),
                    ConditionKind.HostPorts => new HostPortsCondition(),
                    ConditionKind.MissingSecurityContext => new MissingSecurityContextCondition(),
                    ConditionKind.ReadOnlyRootFilesystemMissing => new ReadOnlyRootFilesystemMissingCondition(),
                    _ => new ExposedSecretsCondition(),
                };
        }
    }

    internal static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String or JsonValueKind.Number => $"{PolicyCompiler.Describe(value.ValueKind)} {value.GetRawText()}",
        _ => PolicyCompiler.Describe(value.ValueKind),
    };

    /// <summary>A non-empty list of non-empty strings, or null after reporting <paramref name="expectation"/>.</summary>
    internal static List<string>? StringList(JsonElement value, string path, string expectation, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            errors.Add($"{path}: {expectation}");
            return null;
        }
        var result = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } s) result.Add(s);
            else errors.Add($"{path}[{index}]: must be a non-empty string, found {Show(item)}");
            index++;
        }
        return result.Count == index ? result : null;
    }

    private static Condition? ParseHostPath(JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind == JsonValueKind.True) return new HostPathCondition(null, false);
        if (value.ValueKind == JsonValueKind.False) return null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be true, false or {{allowedPrefixes: [...], requireReadOnly: bool}}, found {Show(value)}");
            return null;
        }
        List<string>? prefixes = null;
        var requireReadOnly = false;
        var before = errors.Count;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "allowedPrefixes":
                    prefixes = StringList(property.Value, $"{path}.allowedPrefixes", "must be a non-empty list of absolute paths", errors);
                    for (var i = 0; i < (prefixes?.Count ?? 0); i++)
                        if (!prefixes![i].StartsWith('/')) errors.Add($"{path}.allowedPrefixes[{i}]: \"{prefixes[i]}\" must be an absolute path");
                    break;
                case "requireReadOnly":
                    if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) requireReadOnly = property.Value.GetBoolean();
                    else errors.Add($"{path}.requireReadOnly: must be true or false, found {Show(property.Value)}");
                    break;
                default:
                    errors.Add($"{path}.{property.Name}: unknown field (expected allowedPrefixes, requireReadOnly)");
                    break;
            }
        }
        if (errors.Count != before) return null;
        if (prefixes is null && !requireReadOnly)
        {
            errors.Add($"{path}: set allowedPrefixes and/or requireReadOnly: true (or use hostPath: true to forbid every hostPath volume)");
            return null;
        }
        return new HostPathCondition(prefixes, requireReadOnly);
    }

    private static Condition? ParsePodSecurity(JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be {{level: baseline|restricted, version: latest|v1.N}}, found {Show(value)}");
            return null;
        }
        PodSecurityLevel? level = null;
        var version = PodSecurityVersion.Latest;
        var before = errors.Count;
        foreach (var property in value.EnumerateObject())
        {
            var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            switch (property.Name)
            {
                case "level":
                    level = text switch { "baseline" => PodSecurityLevel.Baseline, "restricted" => PodSecurityLevel.Restricted, _ => null };
                    if (level is null) errors.Add($"{path}.level: must be baseline or restricted, found {Show(property.Value)}");
                    break;
                case "version":
                    if (text is null || !PodSecurityVersion.TryParse(text, out version))
                        errors.Add($"{path}.version: must be latest or v1.N (e.g. v1.30), found {Show(property.Value)}");
                    break;
                default:
                    errors.Add($"{path}.{property.Name}: unknown field (expected level, version)");
                    break;
            }
        }
        if (level is null && errors.Count == before) errors.Add($"{path}.level: required (baseline or restricted)");
        return errors.Count == before ? new PodSecurityCondition(PodSecurityProfile.Resolve(level!.Value, version)) : null;
    }
}
