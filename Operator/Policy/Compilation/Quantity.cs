using System.Globalization;

namespace SecurityOperator.Policy.Compilation;

/// <summary>Kubernetes resource.Quantity syntax (apimachinery resource.ParseQuantity): a decimal number, then one
/// suffix: binary SI (Ki Mi Gi Ti Pi Ei), decimal SI (n u m "" k M G T P E) or a decimal exponent (e3, E-2).
/// The value is returned as a double: precise enough to compare requests with limits.</summary>
public static class Quantity
{
    public static bool TryParse(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        if (text.Length == 0) return false;
        var i = 0;
        if (text[0] is '+' or '-') i++;
        var sawDigit = false;
        while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; sawDigit = true; }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; sawDigit = true; }
        }
        if (!sawDigit) return false;
        if (!double.TryParse(text[..i], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
        var suffix = text[i..];
        double multiplier;
        switch (suffix)
        {
            case "": multiplier = 1; break;
            case "Ki": multiplier = 1024d; break;
            case "Mi": multiplier = Math.Pow(1024, 2); break;
            case "Gi": multiplier = Math.Pow(1024, 3); break;
            case "Ti": multiplier = Math.Pow(1024, 4); break;
            case "Pi": multiplier = Math.Pow(1024, 5); break;
            case "Ei": multiplier = Math.Pow(1024, 6); break;
            case "n": multiplier = 1e-9; break;
            case "u": multiplier = 1e-6; break;
            case "m": multiplier = 1e-3; break;
            case "k": multiplier = 1e3; break;
            case "M": multiplier = 1e6; break;
            case "G": multiplier = 1e9; break;
            case "T": multiplier = 1e12; break;
            case "P": multiplier = 1e15; break;
            case "E": multiplier = 1e18; break;
            default:
                if (suffix[0] is not ('e' or 'E') || suffix.Length < 2) return false;
                var exponent = suffix[1..];
                var start = exponent[0] is '+' or '-' ? 1 : 0;
                if (exponent.Length == start) return false;
                foreach (var c in exponent[start..]) if (!char.IsAsciiDigit(c)) return false;
                if (!int.TryParse(exponent, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e)) return false;
                multiplier = Math.Pow(10, e);
                break;
        }
        value = number * multiplier;
        return true;
    }
}
