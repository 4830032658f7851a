using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;
using SecurityOperator.Tests.Support;

namespace SecurityOperator.Tests.Controllers;

public sealed class ControllerRoleTests
{
    [Fact]
    public async Task The_role_leads_reports_becomes_ready_releases_its_lease_on_stop_and_makes_only_declared_calls()
    {
        await using var cluster = await ShippedPolicyCluster.StartAsync();
        cluster.SeedNamespace("security-operator");
        cluster.Api.Seed(ShippedPolicyCluster.ClusterSecurityPolicies, PolicyObjects.Cluster("everywhere"));
        Workloads.Deployment(cluster.Api, "shop", "cart", privileged: true, replicas: 2);
        var options = CommandLineParser.Parse(["--role", "controller", "--kubeconfig", cluster.KubeconfigPath,
            // client-go's default timings: the lease is taken at once (none exists) and the release on stop is what is
            // tested; a 1.5 s renew deadline could expire on a loaded machine and leave nothing to release.
            "--leader-elect-namespace", "security-operator", "--leader-elect-lease-duration", "15s",
            "--leader-elect-renew-deadline", "10s", "--leader-elect-retry-period", "2s"], _ => null);
        var health = new HealthState();
        var context = new RoleContext(options, NullLoggerFactory.Instance, new MetricsRegistry(), health, TextReader.Null, TextWriter.Null, TextWriter.Null);
        Assert.IsType<ControllerRole>(RoleCatalog.Create("controller"));
        using var stop = new CancellationTokenSource();
        var run = new ControllerRole().RunAsync(context, stop.Token);

        await Eventually.WaitUntilAsync(() => cluster.Api.Get(ResourceCatalog.PolicyReports, "shop", "security-operator") is not null, "the report of namespace shop");
        await Eventually.WaitUntilAsync(() => cluster.Api.Get(ShippedPolicyCluster.ClusterSecurityPolicies, "", "everywhere")?.Object["status"]?["counts"]?["denied"]?.GetValue<long>() == 1,
            "the policy status");
        Assert.True(health.Ready().Ok);
        Assert.Equal(ControllerRole.LeaseName, cluster.Api.List(ResourceCatalog.Leases, "security-operator").Single().Name);

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Eventually.Limit));
        var lease = cluster.Api.Get(ResourceCatalog.Leases, "security-operator", ControllerRole.LeaseName)!.Object;
        Assert.Equal("", lease["spec"]!["holderIdentity"]!.GetValue<string>());

        var declared = RoleApiAccess.For("controller");
        var made = cluster.Api.Requests.Select(r => ApiAccessOfRequest.Map(r.Method, r.Path, r.Query)).OfType<SecurityOperator.Kube.Access.ApiAccess>().Distinct().ToList();
        Assert.All(made, access => Assert.Contains(access, declared));
        Assert.Contains(new SecurityOperator.Kube.Access.ApiAccess("wgpolicyk8s.io", "policyreports", "create"), made);
        Assert.Contains(new SecurityOperator.Kube.Access.ApiAccess("security.io", "clustersecuritypolicies/status", "patch"), made);
    }

    [Fact]
    public async Task Without_an_api_server_the_role_exits_2()
    {
        var options = CommandLineParser.Parse(["--role", "controller", "--kubeconfig", "none"], _ => null);
        var context = new RoleContext(options, NullLoggerFactory.Instance, new MetricsRegistry(), new HealthState(), TextReader.Null, TextWriter.Null, TextWriter.Null);
        Assert.Equal(2, await new ControllerRole().RunAsync(context, CancellationToken.None));
    }
}
