using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace SecurityOperator.Benchmarks;

/// <summary>Usage: <c>dotnet run -c Release --project Operator.Benchmarks -- --filter '*' --job short</c>. Without
/// <c>--job</c>, one in-process job runs (no child build); with it, BenchmarkDotNet's own job (the child process rolls
/// forward to the installed .NET 10 runtime like this project does). Memory is always measured.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        if (!args.Contains("--job")) config = config.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
