namespace SecurityOperator.Controllers.Notify;

/// <summary>Validates --notify-url: an absolute http or https URL with a host and without user:password (credentials
/// belong in --notify-token-file, never in a URL that ends up in logs).</summary>
public static class NotifyUrl
{
    /// <summary>Null when <paramref name="value"/> is empty (no sink) or valid; otherwise the problem.</summary>
    public static string? Validate(string value)
    {
        if (value.Length == 0) return null;
        return TryParse(value, out _, out var error) ? null : error;
    }

    public static bool TryParse(string value, out Uri? url, out string? error)
    {
        url = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var parsed) || parsed.IsFile || parsed.IsUnc)
        {
            error = $"\"{value}\" is not an absolute URL (expected e.g. https://alerts.example.com/hooks/security)";
            return false;
        }
        if (parsed.Scheme is not ("http" or "https"))
        {
            error = $"scheme \"{parsed.Scheme}\" is not supported (expected http or https)";
            return false;
        }
        if (parsed.Host.Length == 0)
        {
            error = "the URL has no host";
            return false;
        }
        if (parsed.UserInfo.Length > 0)
        {
            error = "the URL must not carry user:password; put a bearer token in --notify-token-file";
            return false;
        }
        url = parsed;
        error = null;
        return true;
    }
}
