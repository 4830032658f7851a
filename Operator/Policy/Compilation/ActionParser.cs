using System.Text.Json;

namespace SecurityOperator.Policy.Compilation;

/// <summary>Parses rule actions: the strings "deny" and "alert", and single-key maps
/// <c>mutate: {setDefaults: {limits: {...}, requests: {...}}, harden: true}</c>, <c>notify: {channels: [...]}</c>,
/// <c>quarantine: {duration: 5m}</c>.</summary>
internal static class ActionParser
{
    public static RuleActions ParseRuleActions(List<JsonElement>? actions, string path, List<string> errors)
    {
        bool deny = false, alert = false, harden = false;
        SetDefaultsMutation? setDefaults = null;
        NotifyAction? notify = null;
        QuarantineAction? quarantine = null;
        if (actions is not { Count: > 0 })
        {
            errors.Add($"{path}: must be a non-empty list of actions (deny, alert, mutate, notify, quarantine)");
            return new RuleActions(false, false, null, false, null, null);
        }
        for (var i = 0; i < actions.Count; i++)
        {
            var item = actions[i];
            var itemPath = $"{path}[{i}]";
            if (item.ValueKind == JsonValueKind.String)
            {
                switch (item.GetString())
                {
                    case "deny": deny = true; break;
                    case "alert": alert = true; break;
                    default: errors.Add($"{itemPath}: unknown action \"{item.GetString()}\" (expected deny, alert, or a map mutate/notify/quarantine)"); break;
                }
                continue;
            }
            if (SingleKey(item, itemPath, errors) is not { } pair) continue;
            switch (pair.Key)
            {
                case "mutate": ParseMutate(pair.Value, $"{itemPath}.mutate", errors, ref setDefaults, ref harden); break;
                case "notify": notify = ParseNotify(pair.Value, $"{itemPath}.notify", errors); break;
                case "quarantine": quarantine = ParseQuarantine(pair.Value, $"{itemPath}.quarantine", errors); break;
                default: errors.Add($"{itemPath}.{pair.Key}: unknown action (expected mutate, notify or quarantine)"); break;
            }
        }
        return new RuleActions(deny, alert, setDefaults, harden, notify, quarantine);
    }

    public static KeyValuePair<string, JsonElement>? SingleKey(JsonElement item, string path, List<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be an action name or a map with one action key, found {PolicyCompiler.Describe(item.ValueKind)}");
            return null;
        }
        KeyValuePair<string, JsonElement>? found = null;
        var count = 0;
        foreach (var property in item.EnumerateObject()) { found = new(property.Name, property.Value); count++; }
        if (count == 1) return found;
        errors.Add($"{path}: must have exactly one action key, found {count}");
        return null;
    }

    private static void ParseMutate(JsonElement value, string path, List<string> errors, ref SetDefaultsMutation? setDefaults, ref bool harden)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be a map with setDefaults and/or harden");
            return;
        }
        var any = false;
        foreach (var property in value.EnumerateObject())
        {
            any = true;
            switch (property.Name)
            {
                case "setDefaults": setDefaults = ParseSetDefaults(property.Value, $"{path}.setDefaults", errors); break;
                case "harden":
                    if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) harden = property.Value.GetBoolean();
                    else errors.Add($"{path}.harden: must be true or false");
                    break;
                default: errors.Add($"{path}.{property.Name}: unknown mutation (expected setDefaults, harden)"); break;
            }
        }
        if (!any) errors.Add($"{path}: must set setDefaults and/or harden");
    }

    private static SetDefaultsMutation? ParseSetDefaults(JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be a map with limits and/or requests");
            return null;
        }
        var before = errors.Count;
        List<KeyValuePair<string, string>> limits = [], requests = [];
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "limits": limits = ParseResourceList(property.Value, $"{path}.limits", errors); break;
                case "requests": requests = ParseResourceList(property.Value, $"{path}.requests", errors); break;
                default: errors.Add($"{path}.{property.Name}: unknown field (expected limits, requests)"); break;
            }
        }
        if (limits.Count == 0 && requests.Count == 0 && errors.Count == before) errors.Add($"{path}: must set limits and/or requests");
        // The API server rejects a request above its limit; a default pair must not produce one.
        foreach (var (resource, request) in requests)
        {
            var limit = limits.FirstOrDefault(l => l.Key == resource).Value;
            if (limit is not null && Quantity.TryParse(request, out var r) && Quantity.TryParse(limit, out var l) && r > l)
                errors.Add($"{path}.requests.{resource}: {request} is more than limits.{resource} {limit}");
        }
        return errors.Count == before ? new SetDefaultsMutation(limits, requests) : null;
    }

    private static List<KeyValuePair<string, string>> ParseResourceList(JsonElement value, string path, List<string> errors)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (value.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: must be a map of resource name to quantity"); return result; }
        foreach (var property in value.EnumerateObject())
        {
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => null,
            };
            if (text is null || !Quantity.TryParse(text, out var amount) || amount < 0)
                errors.Add($"{path}.{property.Name}: {(text is null ? PolicyCompiler.Describe(property.Value.ValueKind) : $"\"{text}\"")} is not a non-negative quantity (e.g. 500m, 1, 128Mi, 1Gi)");
            else if (Kube.Selectors.LabelSyntax.KeyError(property.Name) is { } problem)
                errors.Add($"{path}.{property.Name}: not a resource name: {problem}");
            else result.Add(new(property.Name, text));
        }
        return result;
    }

    public static NotifyAction? ParseNotify(JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: must be a map with channels"); return null; }
        List<string>? channels = null;
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name == "channels") channels = ConditionParser.StringList(property.Value, $"{path}.channels", "must be a non-empty list of channel names", errors);
            else errors.Add($"{path}.{property.Name}: unknown field (expected channels)");
        }
        if (channels is null && !errors.Any(e => e.StartsWith(path, StringComparison.Ordinal))) errors.Add($"{path}.channels: required");
        return channels is null ? null : new NotifyAction(channels);
    }

    public static QuarantineAction? ParseQuarantine(JsonElement value, string path, List<string> errors)
    {
        if (value.ValueKind == JsonValueKind.Null) return new QuarantineAction(null);
        if (value.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: must be a map (duration optional)"); return null; }
        TimeSpan? duration = null;
        var before = errors.Count;
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name != "duration") { errors.Add($"{path}.{property.Name}: unknown field (expected duration)"); continue; }
            if (property.Value.ValueKind == JsonValueKind.String && GoDuration.TryParse(property.Value.GetString()!, out var parsed) && parsed > TimeSpan.Zero)
                duration = parsed;
            else errors.Add($"{path}.duration: must be a positive duration such as 30s, 5m, 1h30m");
        }
        return errors.Count == before ? new QuarantineAction(duration) : null;
    }
}
