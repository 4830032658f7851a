using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SecurityOperator.Registry;
using SecurityOperator.Signing;

namespace SecurityOperator.Benchmarks.ImageSignatures;

/// <summary>Debian's docker-registry (distribution 2.8, installed by scripts/install-prereqs.sh) on 127.0.0.1 with a
/// temporary storage folder, holding one small image signed by <see cref="Key"/> under <c>bench/app:v1</c>. The
/// benchmark's registry round trips are real HTTP over loopback to a real registry.</summary>
internal sealed class LoopbackDockerRegistry : IDisposable
{
    private const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;
    private readonly string _directory;

    private LoopbackDockerRegistry(Process process, string directory, string host)
    {
        _process = process;
        _directory = directory;
        Host = host;
    }

    public string Host { get; }
    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public string Image => $"{Host}/bench/app:v1";

    public static LoopbackDockerRegistry Start()
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException($"{Binary} is not installed (scripts/install-prereqs.sh installs it)");
        var directory = Directory.CreateTempSubdirectory("registry-bench-").FullName;
        var port = FreePort();
        var config = Path.Combine(directory, "config.yml");
        File.WriteAllText(config, $"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n" +
                                  $"    rootdirectory: {Path.Combine(directory, "data")}\nhttp:\n  addr: 127.0.0.1:{port}\n");
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LoopbackDockerRegistry(process, directory, $"127.0.0.1:{port}");
        registry.WaitReady(port);
        registry.PushSignedImageAsync().GetAwaiter().GetResult();
        return registry;
    }

    private void WaitReady(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 100 && !_process.HasExited; i++)
        {
            try
            {
                using var response = http.GetAsync($"http://127.0.0.1:{port}/v2/").GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            Thread.Sleep(100);
        }
        Dispose();
        throw new InvalidOperationException($"docker-registry did not answer on 127.0.0.1:{port}");
    }

    private async Task PushSignedImageAsync()
    {
        using var client = new RegistryClient(new RegistryClientOptions { InsecureLoopback = true, RequestTimeout = TimeSpan.FromSeconds(10) });
        var image = ImageName.Parse(Image);
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var layer = RandomNumberGenerator.GetBytes(512);
        var configDigest = await client.PushBlobAsync(image, config);
        var layerDigest = await client.PushBlobAsync(image, layer);
        var manifest = Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"config\":{{\"mediaType\":\"{MediaTypes.OciConfig}\",\"digest\":\"{configDigest}\",\"size\":{config.Length}}}," +
            $"\"layers\":[{{\"mediaType\":\"{MediaTypes.OciLayerGzip}\",\"digest\":\"{layerDigest}\",\"size\":{layer.Length}}}]}}");
        var digest = await client.PutManifestAsync(image, manifest, MediaTypes.OciManifest);
        await new CosignSigner(client).SignAsync(image.WithDigest(digest), Key);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
        Key.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
