using System.Globalization;
using System.Text;

namespace SecurityOperator.Yaml;

/// <summary>Renders doubles the way the Go side of Kubernetes does, so converted manifests compare equal to what
/// kubectl sends: encoding/json for values ('f' notation, 'e' below 1e-6 or from 1e21, "e-7" not "e-07"), and
/// strconv.FormatFloat(f, 'g', -1, 32) for float map keys (sigs.k8s.io/yaml's key conversion).</summary>
internal static class GoFloatFormat
{
    public static string Json(double value)
    {
        (string digits, int point, bool negative) = Decompose(value.ToString("R", CultureInfo.InvariantCulture));
        double abs = Math.Abs(value);
        bool exponent = abs != 0 && (abs < 1e-6 || abs >= 1e21);
        string text = exponent ? Exponent(digits, point, negative) : Fixed(digits, point, negative);
        // encoding/json trims a leading zero from a negative two-digit exponent.
        int e = text.IndexOf("e-0", StringComparison.Ordinal);
        return e >= 0 && text.Length == e + 4 ? text.Remove(e + 2, 1) : text;
    }

    public static string Key(double value)
    {
        float single = (float)value;
        if (float.IsNaN(single))
        {
            return ".nan";
        }

        if (float.IsInfinity(single))
        {
            return single > 0 ? ".inf" : "-.inf";
        }

        (string digits, int point, bool negative) = Decompose(single.ToString("R", CultureInfo.InvariantCulture));
        int exp = point - 1;
        // Go's %g with the shortest precision switches to exponent form when exp < -4 || exp >= 6.
        return digits != "0" && (exp < -4 || exp >= 6) ? Exponent(digits, point, negative) : Fixed(digits, point, negative);
    }

    /// <summary>Splits .NET's shortest round-trip text ("-1.5E-07", "123.25") into significant digits and the
    /// position of the decimal point relative to them.</summary>
    private static (string Digits, int Point, bool Negative) Decompose(string text)
    {
        bool negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        int exponent = 0;
        int e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        int dot = text.IndexOf('.');
        string mantissa = dot >= 0 ? text.Remove(dot, 1) : text;
        int point = (dot >= 0 ? dot : text.Length) + exponent;
        int leadingZeros = 0;
        while (leadingZeros < mantissa.Length - 1 && mantissa[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        mantissa = mantissa[leadingZeros..].TrimEnd('0');
        point -= leadingZeros;
        return mantissa.Length == 0 ? ("0", 1, negative) : (mantissa, point, negative);
    }

    private static string Fixed(string digits, int point, bool negative)
    {
        var text = new StringBuilder(negative ? "-" : "");
        if (point <= 0)
        {
            text.Append("0.").Append('0', -point).Append(digits);
        }
        else if (point >= digits.Length)
        {
            text.Append(digits).Append('0', point - digits.Length);
        }
        else
        {
            text.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
        }

        return text.ToString();
    }

    private static string Exponent(string digits, int point, bool negative)
    {
        var text = new StringBuilder(negative ? "-" : "");
        text.Append(digits[0]);
        if (digits.Length > 1)
        {
            text.Append('.').Append(digits, 1, digits.Length - 1);
        }

        int exp = point - 1;
        text.Append('e').Append(exp < 0 ? '-' : '+');
        text.Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
