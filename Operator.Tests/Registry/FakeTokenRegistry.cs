using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecurityOperator.Registry;

namespace SecurityOperator.Tests.Registry;

/// <summary>A loopback Kestrel playing a registry with token authentication and its token endpoint, to test the
/// challenge flow end to end: /v2/team/app/manifests/v1 answers 401 with a Bearer challenge unless the request carries
/// a token that /token issued; /token optionally demands Basic credentials. /v2/slow/... never answers in time, and
/// /v2/lying/... announces a digest its content does not have, /v2/broken/... answers 503.</summary>
public sealed class FakeTokenRegistry : IAsyncDisposable
{
    public static readonly byte[] Manifest = Encoding.UTF8.GetBytes(
        $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"sha256:{{new string('0', 64)}}","size":2},"layers":[]}""");

    private readonly WebApplication _app;
    private int _issued;

    public ConcurrentQueue<string> TokenRequests { get; } = new();
    public ConcurrentQueue<string?> TokenAuthorizations { get; } = new();
    public int ManifestRequests => _manifestRequests;
    private int _manifestRequests;
    public string? RequiredBasic { get; init; }
    public string Host { get; private set; } = "";

    private FakeTokenRegistry(WebApplication app) => _app = app;

    public static async Task<FakeTokenRegistry> StartAsync(string? requiredBasic = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeTokenRegistry(app) { RequiredBasic = requiredBasic };
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.Host = new Uri(address).Authority;
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/token")
        {
            TokenRequests.Enqueue(context.Request.QueryString.Value ?? "");
            var authorization = context.Request.Headers.Authorization.ToString();
            TokenAuthorizations.Enqueue(authorization.Length == 0 ? null : authorization);
            if (RequiredBasic is not null && authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(RequiredBasic)))
            {
                context.Response.StatusCode = 401;
                return;
            }
            var token = "tok-" + Interlocked.Increment(ref _issued);
            await context.Response.WriteAsync($$"""{"token":"{{token}}","expires_in":300}""");
            return;
        }
        if (path.StartsWith("/v2/slow/", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { });
            return;
        }
        if (path.StartsWith("/v2/broken/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 503;
            return;
        }
        if (path.StartsWith("/v2/lying/", StringComparison.Ordinal))
        {
            context.Response.Headers["Docker-Content-Digest"] = "sha256:" + new string('1', 64);
            context.Response.ContentType = MediaTypes.OciManifest;
            await context.Response.Body.WriteAsync(Manifest);
            return;
        }
        if (path == "/v2/team/app/manifests/v1")
        {
            Interlocked.Increment(ref _manifestRequests);
            var authorization = context.Request.Headers.Authorization.ToString();
            if (!authorization.StartsWith("Bearer tok-", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate =
                    $"Bearer realm=\"http://{Host}/token\",service=\"fake-registry\",scope=\"repository:team/app:pull\"";
                await context.Response.WriteAsync("""{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""");
                return;
            }
            context.Response.ContentType = MediaTypes.OciManifest;
            context.Response.Headers["Docker-Content-Digest"] = OciDigest.Sha256Of(Manifest).ToString();
            if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(Manifest);
            else context.Response.ContentLength = Manifest.Length;
            return;
        }
        context.Response.StatusCode = 404;
        await context.Response.WriteAsync("""{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
