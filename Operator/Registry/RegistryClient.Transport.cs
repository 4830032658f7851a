using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SecurityOperator.Registry;

public sealed partial class RegistryClient
{
    /// <summary>Sends a request built by <paramref name="build"/>; on 401 answers the challenge and sends it once more.
    /// A non-success answer becomes a <see cref="RegistryException"/> naming the registry, repository and operation.</summary>
    private async Task<HttpResponseMessage> SendAsync(ImageName image, string actions, Func<HttpRequestMessage> build, string operation,
        CancellationToken deadline, CancellationToken caller)
    {
        var scope = $"repository:{image.Repository}:{actions}";
        var what = $"{operation} {image.Name}";
        for (var attempt = 0; ; attempt++)
        {
            using var request = build();
            request.Headers.Authorization = _auth.Cached(image.Registry, scope);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !caller.IsCancellationRequested))
            {
                throw new RegistryException($"registry {image.Registry}: {what}: {RegistryAuthenticator.Describe(e, _options.RequestTimeout)}", inner: e);
            }
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                var challenges = new List<AuthChallenge>();
                foreach (var header in response.Headers.WwwAuthenticate)
                {
                    try
                    {
                        challenges.AddRange(AuthChallenge.ParseAll(header.ToString()));
                    }
                    catch (FormatException e)
                    {
                        response.Dispose();
                        throw new RegistryException($"registry {image.Registry}: {what}: {e.Message}", HttpStatusCode.Unauthorized, inner: e);
                    }
                }
                response.Dispose();
                await _auth.AnswerAsync(image.Registry, scope, challenges, deadline).ConfigureAwait(false);
                continue;
            }
            if (response.IsSuccessStatusCode) return response;
            using (response) throw await ErrorOfAsync(response, image, what, deadline).ConfigureAwait(false);
        }
    }

    private static async Task<RegistryException> ErrorOfAsync(HttpResponseMessage response, ImageName image, string what, CancellationToken deadline)
    {
        string? code = null, message = null;
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(deadline).ConfigureAwait(false);
            if (body.Length is > 0 and < 64 * 1024)
            {
                var parsed = JsonSerializer.Deserialize(body, RegistryJsonContext.Default.RegistryErrorBody);
                var first = parsed?.Errors?.FirstOrDefault();
                code = first?.Code;
                message = first?.Message;
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or OperationCanceledException)
        {
            // The status line alone still says what went wrong.
        }
        var detail = code is null ? "" : $" ({code}: {message})";
        var hint = response.StatusCode == HttpStatusCode.Unauthorized ? " (credentials rejected or missing)" : "";
        return new RegistryException($"registry {image.Registry}: {what}: {(int)response.StatusCode} {response.ReasonPhrase}{detail}{hint}",
            response.StatusCode, code);
    }

    private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, int limit, ImageName image, string what,
        CancellationToken deadline, CancellationToken caller)
    {
        if (response.Content.Headers.ContentLength is { } length && length > limit)
            throw new RegistryException($"registry {image.Registry}: {what} of {image.Name} is {length} bytes, more than the {limit}-byte limit");
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(deadline).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, deadline).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                    throw new RegistryException($"registry {image.Registry}: {what} of {image.Name} is more than the {limit}-byte limit");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !caller.IsCancellationRequested))
        {
            throw new RegistryException($"registry {image.Registry}: reading {what} of {image.Name}: {RegistryAuthenticator.Describe(e, _options.RequestTimeout)}", inner: e);
        }
    }

    private static OciDigest? AnnouncedDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values)
        && OciDigest.TryParse(values.FirstOrDefault(), out var digest, out _) ? digest : null;

    /// <summary>The Content-Type, or the manifest's own mediaType field when the registry sent a generic type.</summary>
    private static string MediaTypeOf(HttpResponseMessage response, byte[] content)
    {
        var header = response.Content.Headers.ContentType?.MediaType;
        if (MediaTypes.IsManifest(header)) return header!;
        try
        {
            var reader = new Utf8JsonReader(content);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isMediaType = reader.ValueTextEquals("mediaType"u8);
                    reader.Read();
                    if (isMediaType && reader.TokenType == JsonTokenType.String) return reader.GetString()!;
                    reader.Skip();
                }
        }
        catch (JsonException)
        {
            // Not JSON: the caller's parse says so with context.
        }
        return header ?? "";
    }
}
