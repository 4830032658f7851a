using Microsoft.Extensions.Logging;
using SecurityOperator.Controllers;
using SecurityOperator.Hosting.Metrics;

namespace SecurityOperator.Tests.Controllers;

/// <summary>Each first-pass milestone is followed by a line saying where the memory is (issue 5's RSS budget).</summary>
public sealed class InitialAuditProgressMemoryTests
{
    [Fact]
    public void Each_milestone_logs_the_memory_as_the_GC_sees_it()
    {
        var logger = new LinesLogger();
        var progress = new InitialAuditProgress(new MetricsRegistry(), logger);

        progress.Begin(["a"], policies: 1);
        progress.Audited("a", 3);
        progress.Reported("a");

        var memory = logger.Lines.Where(l => l.StartsWith("Memory at ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["sync", "audit", "reports"], memory.Select(l => l["Memory at ".Length..l.IndexOf(':')]));
        Assert.All(memory, l => Assert.Matches(@"managed heap \d+\.\d MB \(large objects \d+\.\d MB, fragmented \d+\.\d MB at the last GC\), GC committed \d+\.\d MB, resident \d+\.\d MB, \d+ gen2 collections \(\d+ gen0, \d+ gen1\), \d+ MB allocated since start", l));
    }

    [Fact]
    public void A_reading_has_a_heap_and_resident_memory()
    {
        var reading = MemoryReading.Now();
        Assert.True(reading.HeapMb > 0);
        Assert.True(reading.ResidentMb >= reading.HeapMb);
        Assert.True(reading.Gen2Collections >= 0);
        Assert.True(reading.Gen0Collections >= reading.Gen1Collections && reading.Gen1Collections >= reading.Gen2Collections);
        var before = reading.AllocatedMb;
        GC.KeepAlive(new byte[2 * 1024 * 1024]);
        Assert.True(MemoryReading.Now().AllocatedMb >= before + 1.9);
    }

    private sealed class LinesLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
