using System.Runtime.InteropServices;
using SecurityOperator.Hosting;

namespace SecurityOperator.Tests.Hosting;

public class NativeHeapTrimmerTests
{
    /// <summary>Memory freed below a block still in use is not returned by free itself; malloc_trim returns it.</summary>
    [Fact]
    public unsafe void ReleasesFreedCHeapMemoryThatFreeKeeps()
    {
        // 16 KB blocks stay below glibc's mmap threshold, so they come from this thread's arena.
        var blocks = new void*[2000];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = NativeMemory.Alloc(16 * 1024);
            new Span<byte>(blocks[i], 16 * 1024).Fill(1); // resident, not just reserved
        }
        for (var i = 0; i < blocks.Length - 1; i++) NativeMemory.Free(blocks[i]);
        try
        {
            Assert.True(NativeHeapTrimmer.TryTrim(out var released), "this glibc has no malloc_trim");
            Assert.True(released, "about 32 MB freed under a live block, and malloc_trim released nothing");
        }
        finally
        {
            NativeMemory.Free(blocks[^1]);
        }
    }

    [Fact]
    public async Task StopsWhenAskedBetweenTrims()
    {
        using var stop = new CancellationTokenSource();
        var running = NativeHeapTrimmer.RunAsync(TimeSpan.FromMilliseconds(10), stop.Token);
        await Task.Delay(50);
        Assert.False(running.IsCompleted);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(running.IsCompletedSuccessfully);
    }
}
