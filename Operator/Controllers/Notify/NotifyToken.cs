namespace SecurityOperator.Controllers.Notify;

/// <summary>The bearer token of --notify-token-file. The file is read before every POST (POSTs are rare, the file is
/// tiny), so a Secret volume that kubelet updates after a rotation takes effect with the next message. The
/// token's value is never put in a log line or an exception message.</summary>
public sealed class NotifyToken(string? path)
{
    /// <summary>The token to send (null without a token file), or a problem naming the file (not its content).</summary>
    public (string? Token, string? Problem) Read()
    {
        if (path is null) return (null, null);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"token file {path} cannot be read: {e.GetType().Name}");
        }
        var token = text.Trim();
        if (token.Length == 0) return (null, $"token file {path} is empty");
        // A header value cannot hold line breaks; a multi-line file is a mistake, not a token.
        if (token.AsSpan().IndexOfAny('\r', '\n') >= 0) return (null, $"token file {path} holds more than one line");
        return (token, null);
    }
}
