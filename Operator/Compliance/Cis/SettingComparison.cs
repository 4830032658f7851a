using System.Globalization;
using System.Text.Json;
using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Compliance.Cis;

/// <summary>Evaluates a <see cref="SettingTest"/> against what was found of its component: the flag, else the config
/// file key, else the documented default. Returns whether it holds and the evidence (value and where it came from).</summary>
public static class SettingComparison
{
    public static (bool Holds, string Evidence) Evaluate(SettingTest test, ComponentState state)
    {
        string? value;
        bool explicitlySet;
        string evidence;
        if (state.Flags.Get(test.Flag) is { } flagValue)
        {
            (value, explicitlySet, evidence) = (flagValue, true, $"--{test.Flag}={flagValue} ({state.Flags.Source})");
        }
        else if (test.ConfigPath is not null && state.Config is { } config && Lookup(config, test.ConfigPath) is { } configValue)
        {
            (value, explicitlySet, evidence) = (configValue, true, $"{test.ConfigPath}: {configValue} ({state.ConfigPath})");
        }
        else
        {
            var configInUse = test.ConfigPath is not null && state.Config is not null;
            value = configInUse && test.ConfigDefault is not null ? test.ConfigDefault : test.Default;
            explicitlySet = false;
            var where = configInUse ? $"--{test.Flag} and {test.ConfigPath} not set" : $"--{test.Flag} not set";
            evidence = value is null ? where : $"{where} (default {(value.Length == 0 ? "empty" : value)})";
        }
        return (Holds(test, value, explicitlySet), evidence);
    }

    private static bool Holds(SettingTest test, string? value, bool explicitlySet)
    {
        switch (test.Op)
        {
            case CompareOp.Set: return explicitlySet;
            case CompareOp.NotSet: return !explicitlySet;
        }
        if (value is null) return false;
        var expected = test.Value ?? "";
        return test.Op switch
        {
            CompareOp.Eq => AreEqual(value, expected),
            CompareOp.NotEq => !AreEqual(value, expected),
            CompareOp.Gte => Number(value) is { } a && Number(expected) is { } b && a >= b,
            CompareOp.Lte => Number(value) is { } c && Number(expected) is { } d && c <= d,
            CompareOp.Has => Elements(value).Contains(expected, StringComparer.Ordinal),
            CompareOp.NotHave => !Elements(value).Contains(expected, StringComparer.Ordinal),
            CompareOp.ValidElements => Elements(value) is { Length: > 0 } found && found.All(Elements(expected).Contains),
            CompareOp.StartsWith => value.StartsWith(expected, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>Booleans as booleans, numbers and Go durations by value ("0" equals "0s"), other text ignoring case.</summary>
    internal static bool AreEqual(string a, string b)
    {
        if (FlagValidators.ParseBoolean(a) is { } x && FlagValidators.ParseBoolean(b) is { } y) return x == y;
        if (Number(a) is { } m && Number(b) is { } n) return m == n;
        return string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A number, or a Go duration in seconds.</summary>
    internal static double? Number(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
        return DurationParser.TryParse(text, out var duration) ? duration.TotalSeconds : null;
    }

    internal static string[] Elements(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The value at a dotted path of a config file, as text: scalars as written, lists comma-joined, maps as
    /// key=value pairs (featureGates), the same shape as the equivalent command-line flag.</summary>
    internal static string? Lookup(JsonElement root, string dottedPath)
    {
        var current = root;
        foreach (var part in dottedPath.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current)) return null;
        }
        return Text(current);
    }

    private static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.Array => string.Join(',', element.EnumerateArray().Select(Text)),
        JsonValueKind.Object => string.Join(',', element.EnumerateObject().Select(p => $"{p.Name}={Text(p.Value)}")),
        _ => null,
    };
}
