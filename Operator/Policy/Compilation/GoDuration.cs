using System.Globalization;

namespace SecurityOperator.Policy.Compilation;

/// <summary>Go time.ParseDuration syntax, the one Kubernetes users write ("300ms", "5m", "1h30m", "1.5h"): a sequence
/// of decimal numbers each with a unit ns, us, µs, ms, s, m, h.</summary>
public static class GoDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text.Length == 0) return false;
        if (text == "0") return true;
        var i = 0;
        double ticks = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            if (i == start || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.') i++;
            double unit = text[unitStart..i] switch
            {
                "ns" => 0.01, "us" or "µs" => 10, "ms" => TimeSpan.TicksPerMillisecond, "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute, "h" => TimeSpan.TicksPerHour, _ => -1,
            };
            if (unit < 0) return false;
            ticks += number * unit;
        }
        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }
}
