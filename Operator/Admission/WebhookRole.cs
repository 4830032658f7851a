using Microsoft.Extensions.Logging;
using SecurityOperator.Audit;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Defaults;

namespace SecurityOperator.Admission;

/// <summary>--role webhook: validating and mutating admission over HTTPS. This build runs standalone
/// (--kubeconfig none): policies from --policy files (else the built-in set), namespace labels from
/// --namespace-labels. Ready once the policies are loaded. Exit codes: 0 after a clean stop, 2 for bad policy files
/// or certificates, 3 when asked to watch an API server (not in this build yet).</summary>
public sealed class WebhookRole : IRole
{
    public const string StandaloneKubeconfig = "none";

    public string Name => Flags.Webhook;

    public async Task<int> RunAsync(RoleContext context, CancellationToken stopping)
    {
        var options = context.Options;
        var log = context.LoggerFactory.CreateLogger("webhook");
        if (options.GetString(Flags.Kubeconfig) != StandaloneKubeconfig)
        {
            log.LogError("--role webhook runs only with --kubeconfig none in this build: watching SecurityPolicy and Namespace " +
                         "objects through the API server is still to come");
            return RoleCatalog.NotImplementedExitCode;
        }

        var source = new AdmissionPolicySource();
        context.Health.AddReadinessCheck("policies loaded", () => source.IsLoaded);
        var policies = LoadPolicies(options, log);
        if (policies is null) return 2;
        var excluded = (options.GetString(Flags.ExcludeNamespaces) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        source.Replace(new AdmissionPolicySnapshot(policies, NamespaceLabels.ParseAll(options.GetList(Flags.NamespaceLabels)), excluded));
        log.LogInformation("loaded {Count} policies; namespaces left alone: {Excluded}", policies.Count, string.Join(",", excluded));

        CertificateReloader certificates;
        try
        {
            certificates = CertificateReloader.Load(options.GetString(Flags.TlsCertFile)!, options.GetString(Flags.TlsKeyFile)!,
                context.LoggerFactory.CreateLogger("certificates"));
        }
        catch (CertificateLoadException e)
        {
            log.LogError("serving certificate: {Reason}", e.Message);
            return 2;
        }
        using (certificates)
        {
            certificates.Start(CertificateReloader.DefaultInterval);
            var reviewer = new AdmissionReviewer(source, context.LoggerFactory.CreateLogger("admission"));
            using var signatures = new ImageSignatures.ImageSignatureWiring(source, context.Metrics, context.LoggerFactory);
            var server = await AdmissionServer.StartAsync(new AdmissionServerOptions(options.GetListenAddress(Flags.Listen)) { ImageSignatures = signatures.Step }, reviewer, certificates,
                new AdmissionMetrics(context.Metrics), context.Health, context.LoggerFactory, stopping).ConfigureAwait(false);
            await using (server.ConfigureAwait(false))
            {
                log.LogInformation("serving admission on {Addresses}", string.Join(",", server.Addresses));
                try
                {
                    await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
                // Requests in flight finish; the host bounds the whole stop by --shutdown-timeout.
                await server.StopAsync(options.GetDuration(Flags.ShutdownTimeout)).ConfigureAwait(false);
            }
        }
        return 0;
    }

    private static IReadOnlyList<CompiledPolicy>? LoadPolicies(OperatorOptions options, ILogger log)
    {
        if (options.GetList(Flags.Policy) is not { Count: > 0 } paths) return [DefaultPolicySet.Policy];
        var loaded = PolicyFiles.Load(paths, new ManifestReader());
        if (loaded.Errors.Count == 0) return loaded.Policies;
        foreach (var error in loaded.Errors) log.LogError("policy {Error}", error.ToString());
        return null;
    }
}
