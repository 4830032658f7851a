namespace SecurityOperator.Benchmarks.ImageSignatures;

/// <summary>The warm-cache admission benchmarks (with and without an imageSignature rule) measured in CPU time per operation (this process's user + system time over a
/// few thousand calls, median of 9 rounds after 3 warm-up rounds) instead of wall-clock time: on a machine whose cores
/// are shared with other builds, a descheduled thread inflates wall-clock times, not CPU time. Run with
/// <c>dotnet run -c Release --project Operator.Benchmarks -- signature-cpu</c>.</summary>
public static class ImageSignatureCpuTime
{
    public static int Run()
    {
        var admission = new ImageSignatureAdmissionBenchmarks();
        admission.Setup();
        try
        {
            // Alternating, so that a change in the machine's load hits both alike.
            for (var round = 0; round < 3; round++)
            {
                Report("WithoutSignatureRule", () => admission.WithoutSignatureRule().GetAwaiter().GetResult(), 5_000);
                Report("SignatureRuleWarmCache", () => admission.SignatureRuleWarmCache().GetAwaiter().GetResult(), 5_000);
            }
        }
        finally
        {
            admission.Cleanup();
        }
        return 0;
    }

    private static void Report(string name, Func<object?> operation, int count)
    {
        for (var i = 0; i < 3; i++) CpuNanoseconds(operation, count);
        var rounds = Enumerable.Range(0, 9).Select(_ => CpuNanoseconds(operation, count)).Order().ToArray();
        Console.WriteLine($"{name,-30} median {rounds[4],8:0} ns  min {rounds[0],8:0} ns  max {rounds[^1],8:0} ns  CPU per operation");
    }

    private static double CpuNanoseconds(Func<object?> operation, int count)
    {
        var before = Environment.CpuUsage.TotalTime;
        for (var i = 0; i < count; i++) operation();
        return (Environment.CpuUsage.TotalTime - before).TotalNanoseconds / count;
    }
}
