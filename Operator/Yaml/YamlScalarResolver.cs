using System.Globalization;

namespace SecurityOperator.Yaml;

/// <summary>Plain-scalar typing exactly as Kubernetes reads YAML: sigs.k8s.io/yaml decodes with its go-yaml v2 fork
/// (resolve.go), a YAML 1.1 flavour. Facts taken from that resolver:
/// <list type="bullet">
/// <item>bool: y Y yes Yes YES true True TRUE on On ON / n N no No NO false False FALSE off Off OFF (no other casings,
///   so "yES" or "tRUE" stay strings);</item>
/// <item>null: empty, ~, null, Null, NULL;</item>
/// <item>float specials: .nan .NaN .NAN, [+-].inf .Inf .INF (JSON cannot carry them: an error, as encoding/json refuses);</item>
/// <item>only scalars starting with a digit, sign or '.' are tried as numbers: '_' is removed, then Go's
///   strconv.ParseInt(s, 0, 64) (0x/0o/0b prefixes, a leading 0 means octal), then ParseUint, then the float pattern
///   [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?. So "0777" is 511, "09" is the float 9, "1_000" is 1000,
///   "1e3" is 1000, "1e400" (out of range) is a string;</item>
/// <item>everything else, and every quoted or block scalar, is a string. Timestamps also stay strings (go-yaml v2
///   keeps them as strings when decoding into interface{}).</item>
/// </list>
/// Explicit tags force a type: !!str/! always a string; !!int/!!bool/!!null must resolve to that type; !!float accepts
/// ints too (as go-yaml does); a mismatch is an error ("cannot decode !!str `abc` as a !!int").</summary>
internal static class YamlScalarResolver
{
    public static bool TryResolve(YamlNode node, out YamlScalar scalar, out string? error)
    {
        error = null;
        string? tag = node.Tag;
        if (tag is "!!str" or "!" || (tag is null && node.Style != YamlScalarStyle.Plain))
        {
            scalar = YamlScalar.OfString(node.Value);
            return true;
        }

        scalar = ResolvePlain(node.Value);
        if (tag is null)
        {
            return true;
        }

        string found = TagName(scalar.Type);
        switch (tag)
        {
            case "!!float" when scalar.Type == YamlScalarType.Int:
                scalar = YamlScalar.OfFloat(scalar.IsUnsigned ? scalar.UInt : scalar.Int);
                return true;
            case var _ when tag == found:
                return true;
            default:
                error = $"cannot decode {found} `{node.Value}` as a {tag}";
                return false;
        }
    }

    private static string TagName(YamlScalarType type) => type switch
    {
        YamlScalarType.Null => "!!null",
        YamlScalarType.Bool => "!!bool",
        YamlScalarType.Int => "!!int",
        YamlScalarType.Float => "!!float",
        _ => "!!str",
    };

    public static YamlScalar ResolvePlain(string s)
    {
        switch (s)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return YamlScalar.Null;
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return YamlScalar.OfBool(true);
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return YamlScalar.OfBool(false);
            case ".nan" or ".NaN" or ".NAN":
                return YamlScalar.OfFloat(double.NaN);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return YamlScalar.OfFloat(double.PositiveInfinity);
            case "-.inf" or "-.Inf" or "-.INF":
                return YamlScalar.OfFloat(double.NegativeInfinity);
        }

        char first = s[0];
        if (first == '.')
        {
            return TryParseFloat(s, out double f) ? YamlScalar.OfFloat(f) : YamlScalar.OfString(s);
        }

        if (first is (>= '0' and <= '9') or '+' or '-')
        {
            string plain = s.Replace("_", "", StringComparison.Ordinal);
            if (TryParseGoInt(plain, out YamlScalar integer))
            {
                return integer;
            }

            if (TryParseFloat(plain, out double f))
            {
                return YamlScalar.OfFloat(f);
            }
        }

        return YamlScalar.OfString(s);
    }

    /// <summary>strconv.ParseInt(s, 0, 64) then strconv.ParseUint(s, 0, 64) semantics.</summary>
    private static bool TryParseGoInt(string s, out YamlScalar value)
    {
        value = default;
        int i = 0;
        bool negative = false;
        bool signed = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            signed = true;
            i = 1;
        }

        int radix = 10;
        if (s.Length - i >= 3 && s[i] == '0' && char.ToLowerInvariant(s[i + 1]) is 'x' or 'o' or 'b')
        {
            radix = char.ToLowerInvariant(s[i + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            i += 2;
        }
        else if (s.Length - i >= 1 && s[i] == '0')
        {
            radix = 8;
        }

        if (i >= s.Length)
        {
            return false;
        }

        UInt128 magnitude = 0;
        for (; i < s.Length; i++)
        {
            int digit = HexDigit(s[i]);
            if (digit < 0 || digit >= radix)
            {
                return false;
            }

            magnitude = (magnitude * (uint)radix) + (uint)digit;
            if (magnitude > ulong.MaxValue)
            {
                return false;
            }
        }

        if (negative)
        {
            if (magnitude > (UInt128)long.MaxValue + 1)
            {
                return false;
            }

            value = YamlScalar.OfInt(magnitude == (UInt128)long.MaxValue + 1 ? long.MinValue : -(long)magnitude);
            return true;
        }

        if (magnitude <= long.MaxValue)
        {
            value = YamlScalar.OfInt((long)magnitude);
            return true;
        }

        // ParseUint takes no sign: "+18446744073709551615" falls through to the float pattern, as in Go.
        if (signed)
        {
            return false;
        }

        value = YamlScalar.OfUInt((ulong)magnitude);
        return true;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>The go-yaml float pattern, then strconv.ParseFloat, whose out-of-range results are errors (so
    /// "1e400" stays a string).</summary>
    private static bool TryParseFloat(string s, out double value)
    {
        value = 0;
        if (!MatchesYamlFloat(s))
        {
            return false;
        }

        value = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return !double.IsInfinity(value);
    }

    /// <summary>^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ without a regex engine.</summary>
    private static bool MatchesYamlFloat(string s)
    {
        int i = 0;
        if (i < s.Length && s[i] is '+' or '-')
        {
            i++;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            if (CountDigits(s, ref i) == 0)
            {
                return false;
            }
        }
        else
        {
            if (CountDigits(s, ref i) == 0)
            {
                return false;
            }

            if (i < s.Length && s[i] == '.')
            {
                i++;
                CountDigits(s, ref i);
            }
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }

            if (CountDigits(s, ref i) == 0)
            {
                return false;
            }
        }

        return i == s.Length;
    }

    private static int CountDigits(string s, ref int i)
    {
        int start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i - start;
    }
}
