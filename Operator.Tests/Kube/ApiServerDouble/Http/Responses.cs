using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SecurityOperator.Tests.Kube.ApiServer.Http;

/// <summary>Writes responses with the headers every recorded response has (INDEX.md): Content-Type application/json
/// without charset, Cache-Control "no-cache, private"; the body is compact JSON ending in "\n", with Content-Length.</summary>
internal static class Responses
{
    public const string JsonContentType = "application/json";
    public const string CacheControl = "no-cache, private";

    public static async Task WriteJsonAsync(HttpContext context, int code, byte[] compactJson, IReadOnlyDictionary<string, string>? headers = null)
    {
        var response = context.Response;
        response.StatusCode = code;
        response.Headers.CacheControl = CacheControl;
        response.ContentType = JsonContentType;
        if (headers is not null)
            foreach (var (name, value) in headers) response.Headers[name] = value;
        response.ContentLength = compactJson.Length + 1;
        await response.Body.WriteAsync(compactJson, context.RequestAborted);
        await response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }

    public static Task WriteJsonAsync(HttpContext context, int code, JsonNode body) =>
        WriteJsonAsync(context, code, JsonOutput.ToBytes(body));

    public static Task WriteErrorAsync(HttpContext context, StatusError error) =>
        WriteJsonAsync(context, error.Code, JsonOutput.ToBytes(error.Body), error.Headers);

    /// <summary>errors-404 REQUEST 5: a group/version the server does not serve is a plain-text 404, not a Status.</summary>
    public static async Task WritePageNotFoundAsync(HttpContext context)
    {
        var body = Encoding.UTF8.GetBytes("404 page not found\n");
        context.Response.StatusCode = 404;
        context.Response.Headers.CacheControl = CacheControl;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
