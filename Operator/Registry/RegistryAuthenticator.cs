using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SecurityOperator.Registry;

/// <summary>Answers a registry's 401 challenge: Basic with the registry's credentials, or Bearer through the token
/// endpoint named in the challenge (distribution's token authentication: GET realm?service=..&amp;scope=.., with Basic
/// credentials when there are any, anonymous otherwise). Tokens are cached per (registry, scope) until shortly
/// before they expire.</summary>
internal sealed class RegistryAuthenticator(HttpClient http, RegistryClientOptions options)
{
    // The token spec's default lifetime when expires_in is absent: 60 s.
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);
    // Renew a little early so a token does not expire between the cache lookup and the request.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<(string Registry, string Scope), (AuthenticationHeaderValue Header, DateTimeOffset Expires)> _cache = new();

    /// <summary>The Authorization to send before any challenge, when an earlier one for this scope is still valid.</summary>
    public AuthenticationHeaderValue? Cached(string registry, string scope) =>
        _cache.TryGetValue((registry, scope), out var entry) && entry.Expires > DateTimeOffset.UtcNow ? entry.Header : null;

    /// <summary>The Authorization answering <paramref name="challenges"/>, or a <see cref="RegistryException"/>
    /// naming why there is none.</summary>
    public async Task<AuthenticationHeaderValue> AnswerAsync(string registry, string scope, IReadOnlyList<AuthChallenge> challenges,
        CancellationToken cancellation)
    {
        var credentials = options.Credentials.Find(registry);
        var bearer = challenges.FirstOrDefault(c => c.IsBearer);
        if (bearer is not null)
        {
            var (token, lifetime) = await FetchTokenAsync(registry, scope, bearer, credentials, cancellation).ConfigureAwait(false);
            var header = new AuthenticationHeaderValue("Bearer", token);
            _cache[(registry, scope)] = (header, DateTimeOffset.UtcNow + lifetime - RenewBefore);
            return header;
        }
        if (challenges.Any(c => c.IsBasic))
        {
            if (credentials is null)
                throw new RegistryException($"registry {registry} asks for Basic credentials and none are configured for it",
                    System.Net.HttpStatusCode.Unauthorized);
            var header = new AuthenticationHeaderValue("Basic", credentials.BasicHeaderValue());
            _cache[(registry, scope)] = (header, DateTimeOffset.MaxValue);
            return header;
        }
        throw new RegistryException(
            $"registry {registry} answered 401 with no Bearer or Basic challenge ({string.Join(", ", challenges.Select(c => c.Scheme))})",
            System.Net.HttpStatusCode.Unauthorized);
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(string registry, string scope, AuthChallenge challenge,
        RegistryCredentials? credentials, CancellationToken cancellation)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
            throw new RegistryException($"registry {registry} sent a Bearer challenge whose realm '{challenge.Realm}' is not an http(s) URL");
        if (realm.Scheme == "http" && !(options.InsecureLoopback && LoopbackHost.IsLoopback(realm.Authority)))
            throw new RegistryException($"registry {registry} names a token endpoint over plain HTTP ({realm}); only loopback may use HTTP, with the insecure option");

        var query = new List<string>();
        if (challenge.Service is { } service) query.Add("service=" + Uri.EscapeDataString(service));
        // The scope the registry asked for wins (it may be wider or narrower than ours); ours when it named none.
        query.Add("scope=" + Uri.EscapeDataString(challenge.Scope ?? scope));
        var builder = new UriBuilder(realm) { Query = (realm.Query.TrimStart('?') is { Length: > 0 } q ? q + "&" : "") + string.Join("&", query) };

        using var request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        if (credentials is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.BasicHeaderValue());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new RegistryException($"token endpoint {realm.GetLeftPart(UriPartial.Path)} of registry {registry}: {Describe(e, options.RequestTimeout)}", inner: e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new RegistryException(
                    $"token endpoint {realm.GetLeftPart(UriPartial.Path)} of registry {registry} answered {(int)response.StatusCode} {response.ReasonPhrase}" +
                    (credentials is null ? " (anonymous)" : $" (as {credentials.Username})"), response.StatusCode);
            var body = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
            RegistryTokenResponse? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.RegistryTokenResponse);
            }
            catch (JsonException e)
            {
                throw new RegistryException($"token endpoint of registry {registry} answered something that is not JSON: {e.Message}", inner: e);
            }
            var token = parsed?.Token is { Length: > 0 } t ? t : parsed?.AccessToken;
            if (string.IsNullOrEmpty(token))
                throw new RegistryException($"token endpoint of registry {registry} answered without a token or access_token");
            var lifetime = parsed?.ExpiresIn is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : DefaultTokenLifetime;
            return (token, lifetime);
        }
    }

    internal static string Describe(Exception e, TimeSpan timeout) =>
        e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.###} s" : e.Message;
}
