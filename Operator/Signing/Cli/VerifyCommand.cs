using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Registry;

namespace SecurityOperator.Signing.Cli;

/// <summary><c>security-operator verify --key cosign.pub [--insecure-registry] IMAGE[@sha256:...]</c>: verifies the
/// image's cosign-format signatures. A tag is resolved to its digest first and the digest is printed, so what was
/// verified can be pinned. Each verified payload is printed on stdout (as cosign does); reasons go to stderr.</summary>
public static class VerifyCommand
{
    public const string Usage = "usage: security-operator verify --key PUB.pem [--key PUB2.pem ...] [--insecure-registry] [--timeout 10s] [--registry-config FILE] IMAGE[@sha256:DIGEST]";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, string?> environment, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellation)
    {
        var keys = new List<VerificationKey>();
        try
        {
            var arguments = SigningArguments.Parse("verify", args);
            if (arguments is null)
            {
                await stdout.WriteLineAsync(Usage + "\n  exit codes: 0 verified, 1 no valid signature, 2 usage or key error, 4 registry error").ConfigureAwait(false);
                return SigningExitCodes.Ok;
            }
            foreach (var path in arguments.Keys) keys.Add(SigningKeys.LoadPublicKey(SigningArguments.ReadKeyFile("verify", path), path));
            using var client = arguments.CreateClient(environment);
            var image = arguments.Image;
            if (image.Digest is null)
            {
                var head = await client.HeadManifestAsync(image, cancellation).ConfigureAwait(false)
                           ?? throw new RegistryException($"registry {image.Registry}: {image} does not exist", System.Net.HttpStatusCode.NotFound);
                image = image.WithDigest(head.Digest);
                await stderr.WriteLineAsync($"{arguments.Image} resolves to {head.Digest}").ConfigureAwait(false);
            }
            var result = await new CosignVerifier(client).VerifyAsync(image, keys, cancellation).ConfigureAwait(false);
            if (!result.IsVerified)
            {
                await stderr.WriteLineAsync($"security-operator verify: {result.Explain()}").ConfigureAwait(false);
                return SigningExitCodes.NotVerified;
            }
            foreach (var check in result.Checks.Where(c => c.Verified))
                await stdout.WriteLineAsync(
                    $"verified {image.Name}@{result.Digest}: signature layer {check.LayerDigest} by key {check.VerifiedBy}, docker-reference {check.DockerReference}")
                    .ConfigureAwait(false);
            return SigningExitCodes.Ok;
        }
        catch (Exception e) when (SigningErrors.ExitCodeOf(e) is { } code)
        {
            await stderr.WriteLineAsync($"security-operator verify: {e.Message}").ConfigureAwait(false);
            return code;
        }
        finally
        {
            foreach (var key in keys) key.Dispose();
        }
    }
}
