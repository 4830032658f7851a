using Microsoft.Extensions.Logging;
using SecurityOperator.Audit;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Kube.Config;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Defaults;

namespace SecurityOperator.Admission;

/// <summary>--role webhook: validating and mutating admission over HTTPS.
/// With an API server it watches SecurityPolicy, ClusterSecurityPolicy and Namespace objects and is ready once those
/// caches have synced; --policy files, if given, are enforced in addition to the cluster's policies. With
/// --kubeconfig none it runs standalone: policies from --policy files (else the built-in set), namespace labels from
/// --namespace-labels, ready once the files are loaded. Exit codes: 0 after a clean stop, 2 for bad policy files,
/// certificates or kubeconfig.</summary>
public sealed class WebhookRole : IRole
{
    public const string StandaloneKubeconfig = RoleKubeClient.None;

    public string Name => Flags.Webhook;

    public async Task<int> RunAsync(RoleContext context, CancellationToken stopping)
    {
        // First, before any await: until the listener is bound this pod must not look ready.
        var listener = ListenerReadiness.Register(context.Health);
        var options = context.Options;
        var log = context.LoggerFactory.CreateLogger("webhook");
        var standalone = RoleKubeClient.IsStandalone(options);
        var excluded = (options.GetString(Flags.ExcludeNamespaces) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var filePolicies = LoadPolicies(options, log, builtInWhenNone: standalone);
        if (filePolicies is null) return 2;

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

        var source = new AdmissionPolicySource();
        context.Health.AddReadinessCheck(standalone ? "policies loaded" : "policy and namespace caches synced", () => source.IsLoaded);
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task watching = Task.CompletedTask;
        Kube.Client.KubeClient? client = null;
        if (standalone)
        {
            source.Replace(new AdmissionPolicySnapshot(filePolicies, NamespaceLabels.ParseAll(options.GetList(Flags.NamespaceLabels)), excluded));
            log.LogInformation("standalone: {Count} policies from files; namespaces left alone: {Excluded}", filePolicies.Count, string.Join(",", excluded));
        }
        else
        {
            try
            {
                client = RoleKubeClient.Create(context);
            }
            catch (KubeconfigException e)
            {
                log.LogError("API server configuration: {Reason}", e.Message);
                certificates.Dispose();
                return 2;
            }
            watching = WatchClusterAsync(context, client, filePolicies, excluded, source, stopWatching.Token);
            log.LogInformation("watching policies and namespaces on {Server}; {Files} policies from files; namespaces left alone: {Excluded}",
                client.Config.Server, filePolicies.Count, string.Join(",", excluded));
        }

        using (client)
        using (certificates)
        {
            certificates.Start(CertificateReloader.DefaultInterval);
            var reviewer = new AdmissionReviewer(source, context.LoggerFactory.CreateLogger("admission"));
            // In a cluster, registries are asked with the pod's pull secrets (as the kubelet pulls); standalone, anonymously.
            using var signatures = new ImageSignatures.ImageSignatureWiring(source, context.Metrics, context.LoggerFactory,
                pullSecrets: client is null ? null : new Signing.Verification.PullSecretCredentials(client),
                attestorKeys: new Signing.Verification.AttestorKeyResolver(client)); // client null: secretRef keys deny, saying why
            var server = await AdmissionServer.StartAsync(new AdmissionServerOptions(options.GetListenAddress(Flags.Listen)) { ImageSignatures = signatures.Step }, reviewer, certificates,
                new AdmissionMetrics(context.Metrics), context.Health, context.LoggerFactory, stopping).ConfigureAwait(false);
            await using (server.ConfigureAwait(false))
            {
                listener.MarkBound();
                log.LogInformation("serving admission on {Addresses}", string.Join(",", server.Addresses));
                try
                {
                    await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
                // Requests in flight finish (with the policies they started with); the host bounds the whole stop by
                // --shutdown-timeout. The caches stop after the server.
                await server.StopAsync(options.GetDuration(Flags.ShutdownTimeout)).ConfigureAwait(false);
            }
            await stopWatching.CancelAsync().ConfigureAwait(false);
            await watching.ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>Runs the three informers and the sync that turns them into admission snapshots, until stopped.</summary>
    private static async Task WatchClusterAsync(RoleContext context, Kube.Client.KubeClient client, IReadOnlyList<CompiledPolicy> filePolicies,
        IReadOnlyList<string> excluded, AdmissionPolicySource source, CancellationToken stopping)
    {
        var factory = context.LoggerFactory;
        var namespaced = PolicyInformers.Namespaced(client, context.Metrics, logger: factory.CreateLogger("informer.securitypolicies"));
        var cluster = PolicyInformers.Cluster(client, context.Metrics, logger: factory.CreateLogger("informer.clustersecuritypolicies"));
        var namespaces = CoreInformers.Namespaces(client, context.Metrics, logger: factory.CreateLogger("informer.namespaces"));
        var store = new ClusterPolicyStore(namespaced, cluster, factory.CreateLogger("policies"));
        var sync = new ClusterAdmissionSync(store, namespaces, filePolicies, excluded, source, context.Metrics, log: factory.CreateLogger("admission.sync"));
        // Each informer retries with backoff on its own; they end only when stopped.
        await Task.WhenAll(namespaced.RunAsync(stopping), cluster.RunAsync(stopping), namespaces.RunAsync(stopping), sync.RunAsync(stopping))
            .ConfigureAwait(false);
    }

    private static IReadOnlyList<CompiledPolicy>? LoadPolicies(OperatorOptions options, ILogger log, bool builtInWhenNone)
    {
        if (options.GetList(Flags.Policy) is not { Count: > 0 } paths) return builtInWhenNone ? [DefaultPolicySet.Policy] : [];
        var loaded = PolicyFiles.Load(paths, new ManifestReader());
        if (loaded.Errors.Count == 0) return loaded.Policies;
        foreach (var error in loaded.Errors) log.LogError("policy {Error}", error.ToString());
        return null;
    }
}
