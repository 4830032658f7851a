using System.Globalization;
using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Controllers.Notify;

/// <summary>Validators of the --notify-* flags that the shared ones do not cover (null: fine, else the problem).</summary>
public static class NotifyFlagValidators
{
    /// <summary>More retries than this would hold the queue for hours behind one message.</summary>
    public const int MaxRetries = 20;

    public static string? Url(string value) => NotifyUrl.Validate(value);

    public static string? PositiveDuration(string value) =>
        DurationParser.TryParse(value, out var d) && d > TimeSpan.Zero ? null : "must be a positive duration such as 10s or 500ms";

    public static string? Retries(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxRetries
            ? null : $"must be an integer from 0 to {MaxRetries}";
}
