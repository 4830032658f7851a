using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SecurityOperator.Benchmarks;

/// <summary>Usage: <c>dotnet run -c Release --project Operator.Benchmarks -- --filter '*' --job short</c>. Without
/// <c>--job</c>, one in-process job runs (no child build); with it, BenchmarkDotNet's own job (the child process rolls
/// forward to the installed .NET 10 runtime like this project does). Memory is always measured. With
/// <c>controller-scale</c> first, runs <see cref="Controllers.ControllerScaleBenchmark"/> instead; with <c>signature-cpu</c>,
/// <see cref="ImageSignatures.ImageSignatureCpuTime"/>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // The controller scale benchmark runs the published binary against the API double (scripts/bench-controller.sh).
        if (args.Length > 0 && args[0] == "controller-scale") return Controllers.ControllerScaleBenchmark.RunAsync(args[1..]).GetAwaiter().GetResult();
        // CPU time per warm admission decision with and without an imageSignature rule (robust to a loaded machine).
        if (args.Length > 0 && args[0] == "signature-cpu") return ImageSignatures.ImageSignatureCpuTime.Run();
        var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        if (!args.Contains("--job")) config = config.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
