using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Runtime;

namespace SecurityOperator.Tests.Runtime;

[Collection(KernelCollection.Name)]
public sealed class NodeRoleTests
{
    private static RoleContext Context(TextWriter stdout, params string[] args) =>
        new(CommandLineParser.Parse(["--role", "node", .. args], _ => null), NullLoggerFactory.Instance, new MetricsRegistry(), new HealthState(),
            TextReader.Null, stdout, TextWriter.Null);

    [SkippableFact]
    public async Task Standalone_agent_prints_a_falco_alert_for_a_shell_in_a_kubelet_shaped_container()
    {
        KernelTestEnvironment.SkipUnlessKernel();
        using var cgroup = new FakeKubeletCgroup();
        var stdout = new StringWriter();
        var context = Context(TextWriter.Synchronized(stdout), "--kubeconfig", "none", "--node-container-cgroups", cgroup.KubepodsRoot,
            "--node-deny-connect", "127.0.0.2/32@9");
        using var stop = new CancellationTokenSource();
        var run = new NodeRole().RunAsync(context, stop.Token);
        for (var i = 0; i < 300 && !context.Health.Ready().Ok; i++) await Task.Delay(100);
        Assert.True(context.Health.Ready().Ok, "the agent did not become ready");

        await cgroup.RunInside("/bin/bash -c 'exec 3<>/dev/tcp/127.0.0.2/9' 2>/dev/null; true");

        string? shell = null, blocked = null;
        for (var i = 0; i < 200 && (shell is null || blocked is null); i++)
        {
            await Task.Delay(100);
            var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            shell ??= lines.FirstOrDefault(l => l.Contains("\"shell-in-container\""));
            blocked ??= lines.FirstOrDefault(l => l.Contains("\"denied-connect-blocked\""));
        }
        stop.Cancel();
        Assert.Equal(0, await run);

        Assert.NotNull(shell);
        var alert = JsonDocument.Parse(shell).RootElement;
        Assert.Equal("Notice", alert.GetProperty("priority").GetString());
        Assert.Equal(cgroup.ContainerId, alert.GetProperty("output_fields").GetProperty("container.id").GetString());
        Assert.Equal(cgroup.PodUid, alert.GetProperty("output_fields").GetProperty("k8s.pod.uid").GetString());
        Assert.Contains("/bin/bash", alert.GetProperty("output").GetString());
        Assert.NotNull(blocked);
        Assert.Contains("127.0.0.2:9", blocked);
    }
}
