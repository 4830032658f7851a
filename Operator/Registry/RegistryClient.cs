using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SecurityOperator.Registry;

/// <summary>A client of the OCI Distribution API v2: manifests (GET, HEAD, PUT), blobs (GET, HEAD, monolithic
/// POST+PUT upload), with challenge authentication (<see cref="RegistryAuthenticator"/>), a timeout per request, TLS
/// (plain HTTP only for loopback when asked) and the digest of everything downloaded verified before it is returned.
/// Thread-safe; keep one per process or per command.</summary>
public sealed partial class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RegistryAuthenticator _auth;
    private readonly RegistryClientOptions _options;

    public RegistryClient(RegistryClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        _options = options ?? new RegistryClientOptions();
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            // Connections are reused across requests; a registry behind DNS round-robin is re-resolved now and then.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = _options.RequestTimeout,
            AutomaticDecompression = DecompressionMethods.None,
        }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan, // each request has its own deadline (RequestTimeout)
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("security-operator", Hosting.BuildInfo.Version));
        _auth = new RegistryAuthenticator(_http, _options);
    }

    public RegistryClientOptions Options => _options;

    public void Dispose() => _http.Dispose();

    /// <summary>GETs the manifest <see cref="ImageName.Reference"/> of <paramref name="image"/>. The bytes must hash to
    /// the digest asked for (or, for a tag, to the Docker-Content-Digest the registry announces).</summary>
    public async Task<ManifestResult> GetManifestAsync(ImageName image, CancellationToken cancellation = default)
    {
        using var deadline = Deadline(cancellation);
        using var response = await SendAsync(image, "pull", () => ManifestRequest(HttpMethod.Get, image), "GET manifest", deadline.Token, cancellation)
            .ConfigureAwait(false);
        var content = await ReadBodyAsync(response, _options.MaxManifestBytes, image, "manifest", deadline.Token, cancellation).ConfigureAwait(false);
        var announced = AnnouncedDigest(response);
        OciDigest digest;
        if (image.Digest is { } asked)
        {
            if (!asked.Matches(content))
                throw new DigestMismatchException($"registry {image.Registry} served a manifest for {image} whose content does not hash to {asked}");
            digest = asked;
        }
        else if (announced is { } header)
        {
            if (!header.Matches(content))
                throw new DigestMismatchException($"registry {image.Registry} announced {header} for {image} but the manifest it served hashes differently");
            digest = header.Algorithm == "sha256" ? header : OciDigest.Sha256Of(content);
        }
        else digest = OciDigest.Sha256Of(content);
        return new ManifestResult(digest, MediaTypeOf(response, content), content);
    }

    /// <summary>HEADs a manifest: its digest without downloading it, or null when the registry does not have it. A
    /// registry that omits Docker-Content-Digest is asked with GET instead (and the content hashed).</summary>
    public async Task<ManifestHead?> HeadManifestAsync(ImageName image, CancellationToken cancellation = default)
    {
        HttpResponseMessage response;
        using (var deadline = Deadline(cancellation))
        {
            try
            {
                response = await SendAsync(image, "pull", () => ManifestRequest(HttpMethod.Head, image), "HEAD manifest", deadline.Token, cancellation)
                    .ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.IsNotFound)
            {
                return null;
            }
        }
        using (response)
        {
            var announced = AnnouncedDigest(response);
            if (announced is { } digest && (image.Digest is null || image.Digest == digest))
                return new ManifestHead(digest, response.Content.Headers.ContentType?.MediaType ?? "", response.Content.Headers.ContentLength ?? -1);
        }
        var full = await GetManifestAsync(image, cancellation).ConfigureAwait(false);
        return new ManifestHead(full.Digest, full.MediaType, full.Content.Length);
    }

    /// <summary>PUTs a manifest under the tag or digest of <paramref name="image"/>; returns its digest.</summary>
    public async Task<OciDigest> PutManifestAsync(ImageName image, byte[] content, string mediaType, CancellationToken cancellation = default)
    {
        var digest = OciDigest.Sha256Of(content);
        using var deadline = Deadline(cancellation);
        using var response = await SendAsync(image, "pull,push", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, Url(image, "manifests/" + image.Reference)) { Content = new ByteArrayContent(content) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return request;
        }, "PUT manifest", deadline.Token, cancellation).ConfigureAwait(false);
        if (AnnouncedDigest(response) is { } stored && stored != digest)
            throw new DigestMismatchException($"registry {image.Registry} stored the manifest for {image} as {stored}, expected {digest}");
        return digest;
    }

    /// <summary>GETs a blob into memory (at most <see cref="RegistryClientOptions.MaxBlobBytes"/>) and verifies its digest.</summary>
    public async Task<byte[]> GetBlobAsync(ImageName repository, OciDigest digest, CancellationToken cancellation = default)
    {
        using var deadline = Deadline(cancellation);
        using var response = await SendAsync(repository, "pull", () => new HttpRequestMessage(HttpMethod.Get, Url(repository, "blobs/" + digest)),
            "GET blob", deadline.Token, cancellation).ConfigureAwait(false);
        var content = await ReadBodyAsync(response, _options.MaxBlobBytes, repository, "blob " + digest, deadline.Token, cancellation).ConfigureAwait(false);
        if (!digest.Matches(content))
            throw new DigestMismatchException($"registry {repository.Registry} served blob {digest} of {repository.Name} with content that hashes differently");
        return content;
    }

    public async Task<bool> BlobExistsAsync(ImageName repository, OciDigest digest, CancellationToken cancellation = default)
    {
        using var deadline = Deadline(cancellation);
        try
        {
            using var response = await SendAsync(repository, "pull", () => new HttpRequestMessage(HttpMethod.Head, Url(repository, "blobs/" + digest)),
                "HEAD blob", deadline.Token, cancellation).ConfigureAwait(false);
            return true;
        }
        catch (RegistryException e) when (e.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>Uploads a blob monolithically (POST to open an upload session, PUT the bytes with ?digest=); a blob
    /// already present is not sent again. Returns its digest.</summary>
    public async Task<OciDigest> PushBlobAsync(ImageName repository, byte[] content, CancellationToken cancellation = default)
    {
        var digest = OciDigest.Sha256Of(content);
        if (await BlobExistsAsync(repository, digest, cancellation).ConfigureAwait(false)) return digest;
        using var deadline = Deadline(cancellation);
        Uri location;
        using (var opened = await SendAsync(repository, "pull,push", () => new HttpRequestMessage(HttpMethod.Post, Url(repository, "blobs/uploads/")),
                   "POST blob upload", deadline.Token, cancellation).ConfigureAwait(false))
        {
            var header = opened.Headers.Location
                         ?? throw new RegistryException($"registry {repository.Registry} opened a blob upload for {repository.Name} without a Location");
            location = header.IsAbsoluteUri ? header : new Uri(Url(repository, ""), header);
        }
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        var target = new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest.ToString()));
        using var stored = await SendAsync(repository, "pull,push", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, target) { Content = new ByteArrayContent(content) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return request;
        }, "PUT blob", deadline.Token, cancellation).ConfigureAwait(false);
        return digest;
    }

    private CancellationTokenSource Deadline(CancellationToken cancellation)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(_options.RequestTimeout);
        return deadline;
    }

    private HttpRequestMessage ManifestRequest(HttpMethod method, ImageName image)
    {
        var request = new HttpRequestMessage(method, Url(image, "manifests/" + image.Reference));
        foreach (var type in MediaTypes.AcceptedManifests) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        return request;
    }

    private Uri Url(ImageName image, string path)
    {
        var insecure = _options.InsecureLoopback;
        if (insecure && !LoopbackHost.IsLoopback(image.Registry))
            throw new RegistryException($"registry {image.Registry} is not a loopback address: plain HTTP is allowed only for 127.0.0.1, [::1] and localhost");
        return new Uri($"{(insecure ? "http" : "https")}://{image.ApiHost}/v2/{image.Repository}/{path}");
    }
}
