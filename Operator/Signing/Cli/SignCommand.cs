using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Registry;

namespace SecurityOperator.Signing.Cli;

/// <summary><c>security-operator sign --key cosign.key [--insecure-registry] IMAGE@sha256:...</c>: writes a
/// cosign-format signature of the image's digest to its registry.</summary>
public static class SignCommand
{
    public const string Usage = "usage: security-operator sign --key KEY.pem [--insecure-registry] [--timeout 10s] [--registry-config FILE] IMAGE@sha256:DIGEST";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, string?> environment, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellation)
    {
        try
        {
            var arguments = SigningArguments.Parse("sign", args);
            if (arguments is null)
            {
                await stdout.WriteLineAsync(Usage + "\n  KEY: PEM ECDSA P-256 private key (PKCS#8 or SEC1); --insecure-registry: plain HTTP, loopback registries only").ConfigureAwait(false);
                return SigningExitCodes.Ok;
            }
            if (arguments.Image.Digest is null)
                throw new UsageException($"sign: '{arguments.Image}' has no digest: sign IMAGE@sha256:... so the signature covers exactly what was pushed");
            using var key = SigningKeys.LoadPrivateKey(SigningArguments.ReadKeyFile("sign", arguments.Keys[0]), arguments.Keys[0]);
            using var client = arguments.CreateClient(environment);
            var result = await new CosignSigner(client).SignAsync(arguments.Image, key, cancellation).ConfigureAwait(false);
            await stdout.WriteLineAsync(result.AlreadySigned
                ? $"{result.Image.Name}@{result.Image.Digest} is already signed with this key in {result.SignatureImage}"
                : $"signed {result.Image.Name}@{result.Image.Digest}: pushed {result.SignatureImage} ({result.SignatureManifestDigest})").ConfigureAwait(false);
            return SigningExitCodes.Ok;
        }
        catch (Exception e) when (SigningErrors.ExitCodeOf(e) is { } code)
        {
            await stderr.WriteLineAsync($"security-operator sign: {e.Message}").ConfigureAwait(false);
            return code;
        }
    }
}
