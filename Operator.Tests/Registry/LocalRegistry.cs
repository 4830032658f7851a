using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SecurityOperator.Registry;

namespace SecurityOperator.Tests.Registry;

/// <summary>Debian's docker-registry (distribution 2.8) on 127.0.0.1 on a free port with a temporary storage folder,
/// for as long as a test class holds it. <see cref="SkipReason"/> says why it could not start (binary missing), so
/// tests skip with that reason instead of passing silently.</summary>
public sealed class LocalRegistry : IAsyncLifetime
{
    private const string Binary = "/usr/bin/docker-registry";
    private Process? _process;
    private string? _directory;

    public string? SkipReason { get; private set; }
    public string Host { get; private set; } = "";

    public RegistryClient CreateClient(TimeSpan? timeout = null) =>
        new(new RegistryClientOptions { InsecureLoopback = true, RequestTimeout = timeout ?? TimeSpan.FromSeconds(10) });

    /// <summary>A fresh repository name per call, so tests sharing one registry never see each other's tags.</summary>
    public ImageName NewRepository(string tag = "v1") => ImageName.Parse($"{Host}/test/{Guid.NewGuid():N}:{tag}");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Binary))
        {
            SkipReason = $"{Binary} is not installed (scripts/install-prereqs.sh installs Debian's docker-registry)";
            return;
        }
        _directory = Directory.CreateTempSubdirectory("registry-test-").FullName;
        for (var attempt = 0; attempt < 3 && _process is null; attempt++)
        {
            var port = FreePort();
            var config = Path.Combine(_directory, "config.yml");
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                log:
                  level: error
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: {Path.Combine(_directory, "data")}
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:{port}
                """);
            var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("serve");
            start.ArgumentList.Add(config);
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (await WaitReadyAsync(process, port)) { _process = process; Host = $"127.0.0.1:{port}"; }
            else { Stop(process); }
        }
        if (_process is null) SkipReason = "docker-registry did not start on a free loopback port (3 attempts)";
    }

    private static async Task<bool> WaitReadyAsync(Process process, int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 100 && !process.HasExited; i++)
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{port}/v2/");
                if (response.StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow start on a busy machine
            }
            await Task.Delay(100);
        }
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }

    public Task DisposeAsync()
    {
        if (_process is not null) Stop(_process);
        if (_directory is not null)
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
