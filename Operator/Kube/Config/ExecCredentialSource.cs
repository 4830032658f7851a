using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace SecurityOperator.Kube.Config;

/// <summary>An exec credential plugin (users[].user.exec), run the way client-go runs it (plugin/pkg/client/auth/exec):
/// the command with its args, the kubeconfig env added to ours, KUBERNETES_EXEC_INFO holding an ExecCredential with
/// spec.interactive=false (the operator never has a terminal), and the ExecCredential on stdout. The result is cached until
/// status.expirationTimestamp (forever when absent) and dropped after a 401, as client-go does.</summary>
public sealed class ExecCredentialSource : ICredentialSource
{
    public const string V1 = "client.authentication.k8s.io/v1";
    public const string V1Beta1 = "client.authentication.k8s.io/v1beta1";

    private readonly ExecConfig _config;
    private readonly string _command;
    private readonly string _source;
    private readonly string _field;
    private readonly ExecCluster? _cluster;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _runGate = new(1, 1); // one plugin run at a time
    private readonly object _cacheGate = new();          // guards the cached credential; never held across a run
    private KubeCredential? _cached;
    private DateTimeOffset? _expiry;

    /// <param name="kubeconfigDirectory">Where a relative command containing a '/' is resolved from (client-go resolves
    /// such commands against the kubeconfig's directory; bare names are looked up on PATH).</param>
    /// <param name="cluster">Passed in KUBERNETES_EXEC_INFO when provideClusterInfo is true.</param>
    public ExecCredentialSource(ExecConfig config, string source, string field, string? kubeconfigDirectory,
        ExecCluster? cluster = null, TimeProvider? time = null)
    {
        if (string.IsNullOrEmpty(config.Command))
            throw new KubeconfigException(source, $"{field}.command", "is required");
        if (config.ApiVersion is not (V1 or V1Beta1))
            throw new KubeconfigException(source, $"{field}.apiVersion",
                $"'{config.ApiVersion}' is not supported (use {V1} or {V1Beta1})");
        if (config.InteractiveMode == "Always")
            throw new KubeconfigException(source, $"{field}.interactiveMode",
                "'Always' needs a terminal, and the operator runs without one (use Never or IfAvailable)");
        _config = config;
        _command = config.Command.Contains('/') && !System.IO.Path.IsPathRooted(config.Command) && kubeconfigDirectory is not null
            ? System.IO.Path.GetFullPath(System.IO.Path.Combine(kubeconfigDirectory, config.Command))
            : config.Command;
        _source = source;
        _field = field;
        _cluster = config.ProvideClusterInfo ? cluster : null;
        _time = time ?? TimeProvider.System;
    }

    public async ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken)
    {
        if (Valid() is { } cached) return cached;
        await _runGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have run the plugin while this one waited.
            if (Valid() is { } fresh) return fresh;
            var (credential, expiry) = await RunAsync(cancellationToken).ConfigureAwait(false);
            lock (_cacheGate) (_cached, _expiry) = (credential, expiry);
            return credential;
        }
        finally { _runGate.Release(); }
    }

    /// <summary>Drops the cached credential without waiting for a plugin run in progress (called on the request path).</summary>
    public bool Invalidate()
    {
        lock (_cacheGate) _cached = null;
        return true;
    }

    private KubeCredential? Valid()
    {
        lock (_cacheGate)
            return _cached is not null && (_expiry is null || _time.GetUtcNow() < _expiry) ? _cached : null;
    }

    private async Task<(KubeCredential, DateTimeOffset?)> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in _config.Args ?? []) start.ArgumentList.Add(arg);
        foreach (var variable in _config.Env ?? [])
            if (!string.IsNullOrEmpty(variable.Name)) start.Environment[variable.Name] = variable.Value ?? "";
        start.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo();

        using var process = new Process { StartInfo = start };
        try { process.Start(); }
        catch (Win32Exception e)
        {
            var hint = string.IsNullOrEmpty(_config.InstallHint) ? "" : $" ({_config.InstallHint.Trim()})";
            throw new KubeconfigException(_source, _field, $"cannot run plugin {_command}: {e.Message}{hint}", e);
        }
        process.StandardInput.Close(); // non-interactive: a plugin that prompts reads EOF instead of hanging
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        if (process.ExitCode != 0)
            throw Fail($"plugin {_command} exited with code {process.ExitCode}: {Tail(stderr.Result)}");
        return Parse(stdout.Result);
    }

    private string ExecInfo()
    {
        var info = new ExecCredential
        {
            ApiVersion = _config.ApiVersion,
            Kind = "ExecCredential",
            Spec = new ExecCredentialSpec { Interactive = false, Cluster = _cluster },
        };
        return JsonSerializer.Serialize(info, KubeconfigJsonContext.Default.ExecCredential);
    }

    private (KubeCredential, DateTimeOffset?) Parse(string output)
    {
        ExecCredential? credential;
        try { credential = JsonSerializer.Deserialize(output, KubeconfigJsonContext.Default.ExecCredential); }
        catch (JsonException e) { throw Fail($"plugin {_command} printed something that is not an ExecCredential JSON object: {e.Message} (output starts with '{Tail(output, 80)}')"); }
        if (credential is null || credential.Kind != "ExecCredential")
            throw Fail($"plugin {_command} printed kind '{credential?.Kind}', expected ExecCredential");
        if (credential.ApiVersion != _config.ApiVersion)
            throw Fail($"plugin {_command} answered with apiVersion '{credential.ApiVersion}', but the kubeconfig asks for '{_config.ApiVersion}'");
        var status = credential.Status ?? throw Fail($"plugin {_command} returned an ExecCredential without status");
        var hasCertificate = !string.IsNullOrEmpty(status.ClientCertificateData);
        if (hasCertificate != !string.IsNullOrEmpty(status.ClientKeyData))
            throw Fail($"plugin {_command} returned only one of status.clientCertificateData and status.clientKeyData");
        if (string.IsNullOrEmpty(status.Token) && !hasCertificate)
            throw Fail($"plugin {_command} returned neither status.token nor a client certificate");
        X509Certificate2? certificate = hasCertificate
            ? PemCredentials.LoadClientCertificate(Encoding.ASCII.GetBytes(status.ClientCertificateData!), $"{_field} status.clientCertificateData",
                Encoding.ASCII.GetBytes(status.ClientKeyData!), $"{_field} status.clientKeyData", _source)
            : null;
        return (new KubeCredential(string.IsNullOrEmpty(status.Token) ? null : status.Token, certificate), status.ExpirationTimestamp);
    }

    private KubeconfigException Fail(string problem) => new(_source, _field, problem);

    private static string Tail(string text, int max = 400)
    {
        text = text.Trim();
        return text.Length <= max ? text : text[..max] + "...";
    }
}
