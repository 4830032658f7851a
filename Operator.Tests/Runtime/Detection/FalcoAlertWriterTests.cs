using System.Text.Json;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Detection;

namespace SecurityOperator.Tests.Runtime.Detection;

public sealed class FalcoAlertWriterTests
{
    [Fact]
    public void An_alert_is_one_line_with_falcos_fields()
    {
        var container = new ContainerRef("0b8a5f4e-9c2d-4e6f-8a1b-3c5d7e9f1a2b", new string('b', 64), "containerd", "guaranteed");
        var pod = new PodContainer("shop", "web", container.PodUid, "nginx", "nginx:1.27");
        var alert = new RuntimeAlert(BuiltInRules.ShellInContainer, new DateTimeOffset(2026, 11, 22, 13, 0, 0, TimeSpan.Zero).AddTicks(1234567),
            container, pod, "bash", 4242, 4200, 0, "/bin/bash",
            [new("argument.kind", "executable"), new("proc.name", "bash"), new("k8s.pod.name", "web"), new("proc.exepath", "/bin/bash")]);
        var output = new StringWriter();

        new FalcoAlertWriter(output, "node-1").Write(alert);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        Assert.Equal("2026-11-22T13:00:00.1234567Z", json.GetProperty("time").GetString());
        Assert.Equal("Terminal shell in container", json.GetProperty("rule").GetString());
        Assert.Equal("Notice", json.GetProperty("priority").GetString());
        Assert.Equal("Terminal shell in container: pod shop/web container nginx process bash (pid 4242, parent 4200, uid 0) executable /bin/bash",
            json.GetProperty("output").GetString());
        Assert.Equal("web", json.GetProperty("output_fields").GetProperty("k8s.pod.name").GetString());
        Assert.False(json.GetProperty("output_fields").TryGetProperty("argument.kind", out _));
        Assert.Equal("syscall", json.GetProperty("source").GetString());
        Assert.Equal("T1059", json.GetProperty("tags")[0].GetString());
        Assert.Equal("node-1", json.GetProperty("hostname").GetString());
    }
}
