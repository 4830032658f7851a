using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Controllers;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Tests.Kube.Integration;
using SecurityOperator.Tests.Policy.Cluster;

namespace SecurityOperator.Tests.Controllers.Notify;

public sealed class NotifyRoleTests
{
    [Fact]
    public async Task The_role_posts_with_the_token_and_cluster_name_of_its_flags_one_message_for_a_workload_and_its_replicas()
    {
        using var receiver = LoopbackSink.Start();
        var dir = Directory.CreateTempSubdirectory("notify-role-").FullName;
        try
        {
            var token = Path.Combine(dir, "token");
            await File.WriteAllTextAsync(token, "role-token\n");
            await using var cluster = await ShippedPolicyCluster.StartAsync();
            var policy = PolicyObjects.Namespaced("shop", "loud");
            policy["spec"]!["rules"]![0]!["actions"] = new JsonArray("deny", new JsonObject { ["notify"] = new JsonObject { ["channels"] = new JsonArray("team") } });
            cluster.Api.Seed(ShippedPolicyCluster.SecurityPolicies, policy);
            Workloads.Deployment(cluster.Api, "shop", "cart", privileged: true, replicas: 2);
            var options = CommandLineParser.Parse(["--role", "controller", "--kubeconfig", cluster.KubeconfigPath, "--leader-elect=false",
                "--manage-webhook-certificates=false", "--notify-url", receiver.Url.ToString(), "--notify-token-file", token,
                "--notify-cluster-name", "test-cluster"], _ => null);
            var context = new RoleContext(options, NullLoggerFactory.Instance, new MetricsRegistry(), new HealthState(), TextReader.Null, TextWriter.Null, TextWriter.Null);
            using var stop = new CancellationTokenSource();
            var run = new ControllerRole().RunAsync(context, stop.Token);

            await Eventually.WaitUntilAsync(() => receiver.Requests.Count >= 1, "the notification");
            // Stop only once the sink has counted the POST as delivered: a POST cut off by the stop is sent again
            // (at least once, same id), which is not what this test is about.
            await Eventually.WaitUntilAsync(() => context.Metrics.Render().Contains("security_operator_notify_sent_total 1\n"), "the delivery counted");
            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(Eventually.Limit));

            // A Deployment and its two replica pods share one finding: one message, about the Deployment.
            var request = Assert.Single(receiver.Requests);
            Assert.Equal("Bearer role-token", request.Authorization);
            var body = request.Json;
            Assert.Equal(("Deployment", "cart", "test-cluster"), (body["object"]!["kind"]!.GetValue<string>(), body["object"]!["name"]!.GetValue<string>(),
                body["cluster"]!.GetValue<string>()));
            Assert.Equal("team", Assert.Single(body["channels"]!.AsArray())!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
