using System.Globalization;

namespace SecurityOperator.Hosting.CommandLine;

/// <summary>Validators return null when the value is fine, else the problem in a few words.</summary>
public static class FlagValidators
{
    public static Func<string, string?> OneOf(params string[] allowed) => value =>
        allowed.Contains(value, StringComparer.Ordinal) ? null : $"must be one of {string.Join(", ", allowed)}";

    public static string? PositiveNumber(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 && double.IsFinite(d)
            ? null : "must be a positive number";

    public static string? PositiveInteger(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i > 0 ? null : "must be a positive integer";

    public static string? Boolean(string value) => ParseBoolean(value) is null ? "must be true or false" : null;

    public static string? Duration(string value) => DurationParser.TryParse(value, out _) ? null : "must be a duration such as 30s, 5m or 1h30m";

    public static string? ListenAddress(string value) => ListenAddressParser.TryParse(value, out _, out var error) ? null : error;

    public static bool? ParseBoolean(string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => null,
    };
}
