using System.Net.Security;
using System.Text;

namespace SecurityOperator.Tests.Admission;

/// <summary>HTTP/1.1 written by hand over TLS, for clients HttpClient will not imitate: slow senders, bodies cut
/// short, chunked bodies the server refuses midway.</summary>
internal static class RawHttp
{
    public static byte[] Head(string path, long? contentLength, bool chunked = false, bool close = true) => Encoding.ASCII.GetBytes(
        $"POST {path}?timeout=10s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: kube-apiserver-admission\r\nContent-Type: application/json\r\n"
        + (contentLength is { } n ? $"Content-Length: {n}\r\n" : "") + (chunked ? "Transfer-Encoding: chunked\r\n" : "")
        + (close ? "Connection: close\r\n" : "") + "\r\n");

    /// <summary>Writes <paramref name="parts"/> (with an optional pause between them), ignoring a write the server cut
    /// off, while reading what the server answers until it closes. Returns "" when nothing came back. The answer is
    /// read while still sending: a server that answers early (413) and closes with request bytes unread makes its
    /// kernel send a reset, and an answer not yet read when the reset arrives may be lost.
    /// With <paramref name="closeAfterSending"/> the client sends TLS close_notify after the parts and only then reads:
    /// OpenSSL objects are not safe for a shutdown concurrent with a read, and CI saw both "shutdown while in init"
    /// (the read was processing the server's TLS 1.3 session tickets) and SSL_ERROR_SYSCALL from that race.</summary>
    public static async Task<string> ExchangeAsync(SslStream tls, IEnumerable<byte[]> parts, TimeSpan pause = default, bool closeAfterSending = false)
    {
        var reading = closeAfterSending ? null : ReadAnswerAsync(tls);
        try
        {
            foreach (var part in parts)
            {
                if (reading?.IsCompleted == true) break;
                await tls.WriteAsync(part);
                await tls.FlushAsync();
                if (pause > TimeSpan.Zero) await Task.Delay(pause);
            }
            if (closeAfterSending) await tls.ShutdownAsync();
        }
        catch (IOException)
        {
            // The server answered and closed before everything was sent: what it said is being read.
        }
        return await (reading ?? ReadAnswerAsync(tls));
    }

    private static async Task<string> ReadAnswerAsync(SslStream tls)
    {
        var response = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int read;
            while (!IsComplete(response) && (read = await tls.ReadAsync(buffer, timeout.Token)) > 0) response.Write(buffer, 0, read);
        }
        catch (IOException)
        {
        }
        return Encoding.UTF8.GetString(response.ToArray());
    }

    /// <summary>Headers and a Content-Length body received: the answer is complete even if the connection stays open.</summary>
    private static bool IsComplete(MemoryStream response)
    {
        var text = Encoding.UTF8.GetString(response.GetBuffer(), 0, (int)response.Length);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var match = System.Text.RegularExpressions.Regex.Match(text[..end], "(?im)^content-length: *([0-9]+)");
        return match.Success && Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(match.Groups[1].Value);
    }

    public static int StatusCode(string response) =>
        response.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(response.AsSpan(9, 3)) : 0;

    public static string Body(string response) => response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
}
