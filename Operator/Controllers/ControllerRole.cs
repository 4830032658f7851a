using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Kube.Config;
using SecurityOperator.Kube.LeaderElection;

namespace SecurityOperator.Controllers;

/// <summary>--role controller: keeps policy statuses and PolicyReports in line with the cluster. Every replica runs the
/// informers (ready once they have synced); with --leader-elect only the Lease holder reconciles. Exit codes: 0 after a
/// clean stop (the leader also manages the webhook's serving certificate unless --manage-webhook-certificates=false), 1 when the lease is lost (the pod restarts as a follower, as controller-runtime managers do), 2 when no
/// API server is configured.</summary>
public sealed class ControllerRole : IRole
{
    /// <summary>Name of the leader election Lease.</summary>
    public const string LeaseName = "security-operator-controller";

    public string Name => Flags.Controller;

    public async Task<int> RunAsync(RoleContext context, CancellationToken stopping)
    {
        var options = context.Options;
        var log = context.LoggerFactory.CreateLogger("controller");
        if (RoleKubeClient.IsStandalone(options))
        {
            log.LogError("--role controller needs an API server: --kubeconfig none is only for the webhook and the node agent");
            return 2;
        }
        Kube.Client.KubeClient client;
        try
        {
            client = RoleKubeClient.Create(context);
        }
        catch (KubeconfigException e)
        {
            log.LogError("API server configuration: {Reason}", e.Message);
            return 2;
        }
        using (client)
        {
            var settings = new ControllerSettings
            {
                MaxReportResults = options.GetInt(Flags.ReportMaxResults),
                ReportInterval = options.GetDuration(Flags.ReportInterval),
                EnforceExisting = options.GetBool(Flags.EnforceExisting),
                Notify = Notify.NotifyFlags.Read(options),
                Compliance = Compliance.Scans.ComplianceFlags.Read(options, client.DefaultNamespace),
            };
            var runtime = new ControllerRuntime(client, settings, context.Metrics, context.LoggerFactory);
            context.Documents.Register(Compliance.Scans.LatestComplianceReport.Path, Compliance.Scans.LatestComplianceReport.ContentType, () => runtime.Compliance.Latest.Json);
            var certificates = options.GetBool(Flags.ManageWebhookCertificates)
                ? new Admission.Certificates.WebhookCertificateManager(client, new(), TimeProvider.System, context.LoggerFactory.CreateLogger("webhook-certificates"))
                : null;
            // What only the leader does: reconcile, and keep the webhook's certificates and caBundles current.
            Task Lead(CancellationToken leading) => certificates is null
                ? runtime.LeadAsync(leading)
                : Task.WhenAll(runtime.LeadAsync(leading), certificates.RunAsync(leading));
            context.Health.AddReadinessCheck("caches synced", () => runtime.HasSynced);
            using var informersStop = new CancellationTokenSource();
            var informers = runtime.RunInformersAsync(informersStop.Token);
            try
            {
                if (!options.GetBool(Flags.LeaderElect))
                {
                    await Lead(stopping).ConfigureAwait(false);
                    return 0;
                }
                var ns = options.GetString(Flags.LeaderElectNamespace) is { Length: > 0 } given ? given : client.DefaultNamespace;
                var elector = new LeaderElector(client, new LeaderElectionOptions
                {
                    LeaseNamespace = ns,
                    LeaseName = LeaseName,
                    Identity = LeaderElectionOptions.DefaultIdentity(),
                    LeaseDuration = options.GetDuration(Flags.LeaderElectLeaseDuration),
                    RenewDeadline = options.GetDuration(Flags.LeaderElectRenewDeadline),
                    RetryPeriod = options.GetDuration(Flags.LeaderElectRetryPeriod),
                }, context.LoggerFactory.CreateLogger("leader-election"));
                log.LogInformation("Campaigning for lease {Namespace}/{Name}", ns, LeaseName);
                var outcome = await elector.RunAsync(Lead, stopping).ConfigureAwait(false);
                return outcome == LeaderElectionOutcome.Lost ? 1 : 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return 0;
            }
            catch (ArgumentException e)
            {
                log.LogError("{Reason}", e.Message);
                return 2;
            }
            finally
            {
                await informersStop.CancelAsync().ConfigureAwait(false);
                await informers.ConfigureAwait(false);
            }
        }
    }
}
