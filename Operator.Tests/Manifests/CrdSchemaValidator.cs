using System.Text.Json;
using System.Text.RegularExpressions;

namespace SecurityOperator.Tests.Manifests;

/// <summary>The subset of OpenAPI v3 / structural-schema validation the policy CRDs use (type, required, enum, pattern,
/// minItems, minLength, minimum, min/maxProperties, additionalProperties, and pruning of unknown fields as an error),
/// so tests can check that what the API server would accept and what the compiler accepts agree.</summary>
internal static class CrdSchemaValidator
{
    public static List<string> Validate(JsonElement schema, JsonElement value, string path = "")
    {
        var errors = new List<string>();
        Walk(schema, value, path, errors);
        return errors;
    }

    /// <summary>A structural schema gives every node a type, except nodes that preserve unknown fields or are int-or-string.</summary>
    public static IEnumerable<string> StructuralProblems(JsonElement schema, string path = "")
    {
        var preserves = schema.TryGetProperty("x-kubernetes-preserve-unknown-fields", out var p) && p.GetBoolean();
        var intOrString = schema.TryGetProperty("x-kubernetes-int-or-string", out var i) && i.GetBoolean();
        if (!schema.TryGetProperty("type", out _) && !preserves && !intOrString) yield return $"{path}: no type";
        if (schema.TryGetProperty("properties", out var props))
            foreach (var prop in props.EnumerateObject())
                foreach (var problem in StructuralProblems(prop.Value, $"{path}.{prop.Name}")) yield return problem;
        if (schema.TryGetProperty("items", out var items))
            foreach (var problem in StructuralProblems(items, $"{path}[]")) yield return problem;
        if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
            foreach (var problem in StructuralProblems(additional, $"{path}.*")) yield return problem;
    }

    private static void Walk(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.TryGetProperty("x-kubernetes-preserve-unknown-fields", out var preserve) && preserve.GetBoolean()
            && !schema.TryGetProperty("type", out _)) return;
        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!))
        {
            errors.Add($"{path}: expected {type.GetString()}, found {value.ValueKind}");
            return;
        }
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => a.ToString() == value.ToString()))
            errors.Add($"{path}: {value} is not one of {allowed}");
        if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(value.GetString()!, pattern.GetString()!))
            errors.Add($"{path}: does not match {pattern.GetString()}");
        if (schema.TryGetProperty("minLength", out var minLength) && value.GetString()!.Length < minLength.GetInt32())
            errors.Add($"{path}: shorter than {minLength}");
        if (schema.TryGetProperty("minimum", out var minimum) && value.GetDouble() < minimum.GetDouble())
            errors.Add($"{path}: less than {minimum}");
        if (value.ValueKind == JsonValueKind.Array)
        {
            if (schema.TryGetProperty("minItems", out var minItems) && value.GetArrayLength() < minItems.GetInt32())
                errors.Add($"{path}: fewer than {minItems} items");
            if (schema.TryGetProperty("items", out var items))
            {
                var index = 0;
                foreach (var item in value.EnumerateArray()) Walk(items, item, $"{path}[{index++}]", errors);
            }
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            var count = value.EnumerateObject().Count();
            if (schema.TryGetProperty("minProperties", out var minP) && count < minP.GetInt32()) errors.Add($"{path}: fewer than {minP} properties");
            if (schema.TryGetProperty("maxProperties", out var maxP) && count > maxP.GetInt32()) errors.Add($"{path}: more than {maxP} properties");
            if (schema.TryGetProperty("required", out var required))
                foreach (var name in required.EnumerateArray())
                    if (!value.TryGetProperty(name.GetString()!, out _)) errors.Add($"{path}.{name.GetString()}: required");
            var preserves = schema.TryGetProperty("x-kubernetes-preserve-unknown-fields", out var pu) && pu.GetBoolean();
            schema.TryGetProperty("properties", out var props);
            schema.TryGetProperty("additionalProperties", out var additional);
            foreach (var member in value.EnumerateObject())
            {
                if (props.ValueKind == JsonValueKind.Object && props.TryGetProperty(member.Name, out var memberSchema))
                    Walk(memberSchema, member.Value, $"{path}.{member.Name}", errors);
                else if (additional.ValueKind == JsonValueKind.Object)
                    Walk(additional, member.Value, $"{path}.{member.Name}", errors);
                else if (!preserves && props.ValueKind == JsonValueKind.Object)
                    errors.Add($"{path}.{member.Name}: unknown field (the API server would prune it)");
            }
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        _ => false,
    };
}
