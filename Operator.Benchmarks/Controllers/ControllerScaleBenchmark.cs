using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Benchmarks.Controllers;

/// <summary>Runs the published controller (<c>--role controller</c>) against <see cref="ScaleCluster"/> served by the API
/// server double on loopback and reports when it synced, finished its first audit and wrote every report (from its own
/// log lines, which carry the values of its gauge security_operator_controller_initial_pass_seconds, and as seen from here
/// since the process started), its peak RSS (VmHWM) and its RSS once idle. Usage (scripts/bench-controller.sh):
/// <c>Operator.Benchmarks controller-scale BINARY [NAMESPACES=100] [IDLE_SECONDS=10] [-- extra controller flags]</c>;
/// <c>controller-scale --heap-census [NAMESPACES]</c> runs <see cref="ControllerHeapCensus"/> instead.</summary>
internal static class ControllerScaleBenchmark
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private static readonly string[] Phases = ["sync", "audit", "reports"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "--heap-census") return await ControllerHeapCensus.RunAsync(args[1..]);
        if (args.Length < 1 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: controller-scale BINARY [NAMESPACES=100] [IDLE_SECONDS=10] [-- extra controller flags]");
            return 2;
        }
        var binary = args[0];
        var dashes = Array.IndexOf(args, "--");
        var positional = dashes < 0 ? args : args[..dashes];
        var extra = dashes < 0 ? [] : args[(dashes + 1)..];
        var namespaces = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 100;
        var idle = TimeSpan.FromSeconds(positional.Length > 2 ? int.Parse(positional[2], CultureInfo.InvariantCulture) : 10);

        await using var api = await ScaleCluster.StartAsync();
        var seeding = Stopwatch.StartNew();
        var pods = ScaleCluster.Seed(api, namespaces);
        var workloads = new[] { ResourceCatalog.Deployments, ResourceCatalog.ReplicaSets, ResourceCatalog.StatefulSets, ResourceCatalog.DaemonSets,
            ResourceCatalog.Jobs, ResourceCatalog.CronJobs }.Sum(t => api.List(t).Count);
        var policies = api.List(ScaleCluster.ClusterSecurityPolicies).Count + api.List(ScaleCluster.SecurityPolicies).Count;
        var podBytes = api.List(ResourceCatalog.Pods, "team-000").Average(p => p.Object.ToJsonString().Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cluster: {pods} pods (~{podBytes / 1024:F1} KB of JSON each, no managedFields) and {workloads} workload objects in {namespaces} namespaces, {policies} policies; seeded in {seeding.Elapsed.TotalSeconds:F1} s"));
        GC.Collect();

        var directory = Directory.CreateTempSubdirectory("bench-controller-").FullName;
        var kubeconfig = api.WriteKubeconfig(Path.Combine(directory, "kubeconfig"), "security-operator");
        var metricsPort = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in (string[])["--role", "controller", "--kubeconfig", kubeconfig, "--leader-elect=false", "--manage-webhook-certificates=false",
                     "--metrics-address", $"127.0.0.1:{metricsPort}", .. extra])
            start.ArgumentList.Add(a);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        var log = new List<string>();
        // Phases come from the controller's own log lines, not from scraping /metrics: polling every 25 ms rendered the
        // 30 KB metrics page 40 times a second, about 110 MB of the controller's 620 MB of allocation over the first pass
        // (its "Memory at" log lines count them), which no Prometheus does and which burdened what is measured here.
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        var reported = new Dictionary<string, double>(StringComparer.Ordinal);
        void OnLine(string? line)
        {
            Keep(log, line);
            if (line is null || PhaseOf(line) is not { } phase) return;
            lock (reported)
            {
                reported[phase.Name] = phase.Seconds;
                seen[phase.Name] = clock.Elapsed.TotalSeconds;
            }
        }
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            while (true)
            {
                lock (reported) if (reported.Count == Phases.Length) break;
                if (process.HasExited) return Fail($"the controller exited with {process.ExitCode}", log);
                if (clock.Elapsed > Limit) return Fail($"the first pass did not finish within {Limit.TotalMinutes} minutes (phases seen: {string.Join(", ", reported.Keys)})", log);
                await Task.Delay(25);
            }
            var peakAfterPass = Status(process.Id, "VmHWM");
            await Task.Delay(idle);
            if (process.HasExited) return Fail($"the controller exited with {process.ExitCode}", log);
            var metricsAfter = await ScrapeAsync(http, metricsPort);
            if (metricsAfter.Length == 0) return Fail("the metrics endpoint did not answer", log);
            var (rss, hwm) = (Status(process.Id, "VmRSS"), Status(process.Id, "VmHWM"));

            Console.WriteLine("phase      controller's gauge (since informer start)   seen here (since process start, from its log)");
            foreach (var phase in Phases)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{phase,-10} {reported[phase],10:F2} s {"",30} {seen[phase],8:F2} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RSS: peak (VmHWM) {hwm / 1024.0:F1} MB (at the end of the first pass {peakAfterPass / 1024.0:F1} MB); after {idle.TotalSeconds:F0} s idle (VmRSS) {rss / 1024.0:F1} MB"));
            Console.WriteLine($"API requests by verb: {Requests(metricsAfter)}; metrics page {metricsAfter.Length / 1024.0:F0} KB");
            Console.WriteLine(Reports(api, namespaces));
            foreach (var line in log.Where(l => l.Contains("Initial", StringComparison.Ordinal) || l.Contains("Memory at", StringComparison.Ordinal) || l.Contains("\"Warning\"", StringComparison.Ordinal) || l.Contains("\"Error\"", StringComparison.Ordinal)).Take(16))
                Console.WriteLine($"  log: {line}");
            return 0;
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Keep(List<string> log, string? line)
    {
        if (line is null) return;
        lock (log) log.Add(line);
    }

    private static int Fail(string reason, List<string> log)
    {
        Console.Error.WriteLine($"bench-controller: {reason}; last log lines:");
        lock (log) foreach (var line in log.TakeLast(20)) Console.Error.WriteLine($"  {line}");
        return 1;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> ScrapeAsync(HttpClient http, int port)
    {
        try { return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")); }
        catch (HttpRequestException) { return ""; } // not listening yet
        catch (TaskCanceledException) { return ""; }
    }

    /// <summary>The first-pass milestone a log line announces (InitialAuditProgress: "Caches synced in", "Initial audit
    /// done in", "Initial reports written in") with the seconds it logged, the same value its gauge
    /// security_operator_controller_initial_pass_seconds holds.</summary>
    private static (string Name, double Seconds)? PhaseOf(string line)
    {
        string? name = line.Contains("\"message\":\"Caches synced in ", StringComparison.Ordinal) ? "sync"
            : line.Contains("\"message\":\"Initial audit done in ", StringComparison.Ordinal) ? "audit"
            : line.Contains("\"message\":\"Initial reports written in ", StringComparison.Ordinal) ? "reports" : null;
        if (name is null) return null;
        return JsonNode.Parse(line)?["fields"]?["Seconds"]?.GetValue<double>() is { } seconds ? (name, seconds) : null;
    }

    /// <summary>Requests the controller made, by verb, from its security_operator_kube_api_request_duration_seconds_count.</summary>
    private static string Requests(string metrics)
    {
        var counts = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith("security_operator_kube_api_request_duration_seconds_count{", StringComparison.Ordinal)) continue;
            var verb = line.Split("verb=\"")[1].Split('"')[0];
            counts[verb] = counts.GetValueOrDefault(verb) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"));
    }

    private static string Reports(ApiServerDouble api, int namespaces)
    {
        var reports = api.List(ResourceCatalog.PolicyReports);
        long fail = 0, warn = 0, pass = 0, results = 0;
        foreach (var r in reports)
        {
            var summary = r.Object["summary"] as JsonObject;
            fail += summary?["fail"]?.GetValue<long>() ?? 0;
            warn += summary?["warn"]?.GetValue<long>() ?? 0;
            pass += summary?["pass"]?.GetValue<long>() ?? 0;
            results += (r.Object["results"] as JsonArray)?.Count ?? 0;
        }
        var statuses = api.List(ScaleCluster.ClusterSecurityPolicies).Concat(api.List(ScaleCluster.SecurityPolicies))
            .Count(p => p.Object["status"]?["observedGeneration"] is not null);
        return $"PolicyReports in the double: {reports.Count} of {namespaces} namespaces, {results} results listed; summary fail {fail}, warn {warn}, pass {pass}; policies with a status: {statuses}";
    }

    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(field.Length + 1).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }
}
