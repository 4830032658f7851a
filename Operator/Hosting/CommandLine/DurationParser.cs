using System.Globalization;

namespace SecurityOperator.Hosting.CommandLine;

/// <summary>Durations as Go's time.ParseDuration writes them (and so as Kubernetes users type them): a sequence of
/// number+unit pairs, units ms, s, m, h ("1h30m", "500ms", "15s"). A bare "0" is zero.</summary>
public static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text == "0") return true;
        var span = text.AsSpan();
        if (span.IsEmpty) return false;
        double totalMs = 0;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.')) numberLength++;
            if (numberLength == 0 || !double.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return false;
            span = span[numberLength..];
            var unitLength = 0;
            while (unitLength < span.Length && char.IsAsciiLetter(span[unitLength])) unitLength++;
            double? unitMs = span[..unitLength] switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                _ => null,
            };
            if (unitMs is null) return false;
            totalMs += number * unitMs.Value;
            span = span[unitLength..];
        }
        if (totalMs > TimeSpan.MaxValue.TotalMilliseconds) return false;
        duration = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not a duration such as 30s, 5m or 1h30m");
}
