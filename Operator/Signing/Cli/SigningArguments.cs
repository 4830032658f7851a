using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Registry;

namespace SecurityOperator.Signing.Cli;

/// <summary>The command line of <c>sign</c> and <c>verify</c>: <c>--key FILE</c> (repeatable for verify),
/// <c>--insecure-registry</c>, <c>--timeout DURATION</c>, <c>--registry-config FILE</c> and one IMAGE. Problems are
/// <see cref="UsageException"/>s naming the argument.</summary>
internal sealed record SigningArguments(IReadOnlyList<string> Keys, bool InsecureRegistry, TimeSpan Timeout, string? RegistryConfig,
    ImageName Image)
{
    // 10 s per registry request: RegistryClientOptions' default.
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The arguments, or null when --help was asked for.</summary>
    public static SigningArguments? Parse(string command, IReadOnlyList<string> args)
    {
        var keys = new List<string>();
        var insecure = false;
        var timeout = DefaultTimeout;
        string? config = null, image = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=') : -1;
            var name = eq > 0 ? arg[..eq] : arg;
            string Value() => eq > 0 ? arg[(eq + 1)..] : i + 1 < args.Count ? args[++i] : throw new UsageException($"{command}: {name} needs a value");
            switch (name)
            {
                case "--help" or "-h":
                    return null;
                case "--key":
                    keys.Add(Value());
                    break;
                case "--insecure-registry":
                    insecure = true;
                    break;
                case "--timeout":
                    var text = Value();
                    if (!DurationParser.TryParse(text, out timeout) || timeout <= TimeSpan.Zero)
                        throw new UsageException($"{command}: invalid value '{text}' for --timeout: must be a positive duration like 10s");
                    break;
                case "--registry-config":
                    config = Value();
                    break;
                default:
                    if (arg.StartsWith('-')) throw new UsageException($"{command}: unknown flag '{arg}'");
                    if (image is not null) throw new UsageException($"{command}: one image only, got '{image}' and '{arg}'");
                    image = arg;
                    break;
            }
        }
        if (keys.Count == 0) throw new UsageException($"{command}: --key is required");
        if (command == "sign" && keys.Count > 1) throw new UsageException("sign: one --key only");
        if (image is null) throw new UsageException($"{command}: IMAGE is required (registry/repository@sha256:...)");
        if (!ImageName.TryParse(image, out var parsed, out var problem))
            throw new UsageException($"{command}: invalid image reference '{image}': {problem}");
        return new SigningArguments(keys, insecure, timeout, config, parsed);
    }

    public RegistryClient CreateClient(Func<string, string?> environment) =>
        new(new RegistryClientOptions { InsecureLoopback = InsecureRegistry, RequestTimeout = Timeout, Credentials = LoadCredentials(environment) });

    /// <summary>--registry-config, else $DOCKER_CONFIG/config.json, else ~/.docker/config.json (docker's own lookup);
    /// anonymous when none exists.</summary>
    private IRegistryCredentialSource LoadCredentials(Func<string, string?> environment)
    {
        var path = RegistryConfig;
        if (path is null)
        {
            var directory = environment("DOCKER_CONFIG") is { Length: > 0 } d ? d
                : environment("HOME") is { Length: > 0 } home ? Path.Combine(home, ".docker") : null;
            var candidate = directory is null ? null : Path.Combine(directory, "config.json");
            if (candidate is null || !File.Exists(candidate)) return AnonymousCredentials.Instance;
            path = candidate;
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read registry config {path}: {e.Message}");
        }
        try
        {
            return DockerConfigCredentials.Parse(bytes, path);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public static string ReadKeyFile(string command, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{command}: cannot read key {path}: {e.Message}");
        }
    }
}
