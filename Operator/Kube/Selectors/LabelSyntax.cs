namespace SecurityOperator.Kube.Selectors;

/// <summary>Label key and value syntax as the API server validates it (apimachinery validation.IsQualifiedName and
/// IsValidLabelValue): values at most 63 characters of [A-Za-z0-9._-] starting and ending alphanumeric; keys an optional
/// DNS-1123 subdomain prefix (at most 253) and "/" then a name with the value rules (non-empty).</summary>
public static class LabelSyntax
{
    public static string? ValueError(string value)
    {
        if (value.Length == 0) return null;
        if (value.Length > 63) return "must be no more than 63 characters";
        return IsNamePart(value) ? null : "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    }

    public static string? KeyError(string key)
    {
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !IsDnsSubdomain(prefix))
                return "prefix must be a DNS subdomain (lowercase alphanumeric, '-' or '.', at most 253 characters)";
        }
        if (name.Length == 0) return "name part must be non-empty";
        if (name.Length > 63) return "name part must be no more than 63 characters";
        return IsNamePart(name) ? null : "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    }

    private static bool IsNamePart(string s)
    {
        if (!char.IsAsciiLetterOrDigit(s[0]) || !char.IsAsciiLetterOrDigit(s[^1])) return false;
        foreach (var c in s)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')) return false;
        return true;
    }

    private static bool IsDnsSubdomain(string s)
    {
        if (!char.IsAsciiLetterLower(s[0]) && !char.IsAsciiDigit(s[0])) return false;
        if (!char.IsAsciiLetterLower(s[^1]) && !char.IsAsciiDigit(s[^1])) return false;
        foreach (var c in s)
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not ('-' or '.')) return false;
        return true;
    }
}
