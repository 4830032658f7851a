using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting;
using SecurityOperator.Hosting.Logging;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Tests.Hosting;

/// <summary>What the metrics/health listener writes into the process's JSON log at the default level (info): the
/// kubelet probes every 10 s and Prometheus scrapes every 15-30 s, so a request must not be worth a log line.</summary>
public class OperationalServerLoggingTests
{
    private static async Task<JsonElement[]> LogLinesAround(Func<HttpClient, Task> requests)
    {
        var output = new MemoryStream();
        var provider = new JsonLineLoggerProvider("controller", LogLevel.Information, output);
        using (var factory = new LoggerFactory([provider]))
        {
            await using var server = await OperationalServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new MetricsRegistry(),
                new HealthState(), factory, CancellationToken.None);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(server.Addresses.Single()) };
            await requests(http);
        }
        provider.Dispose();
        var text = Encoding.UTF8.GetString(output.ToArray());
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
    }

    [Fact]
    public async Task Framework_log_lines_come_out_as_json_lines_of_the_role()
    {
        var lines = await LogLinesAround(http => http.GetAsync("/healthz"));
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal("controller", line.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task Probes_and_scrapes_write_no_info_lines()
    {
        var lines = await LogLinesAround(async http =>
        {
            await http.GetAsync("/healthz");
            await http.GetAsync("/readyz");
            await http.GetAsync("/metrics");
        });
        var mentions = lines.Select(l => l.GetProperty("message").GetString()!)
            .Where(m => m.Contains("/healthz") || m.Contains("/readyz") || m.Contains("/metrics")).ToArray();
        Assert.Empty(mentions);
    }
}
