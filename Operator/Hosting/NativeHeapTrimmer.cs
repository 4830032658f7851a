using System.Runtime.InteropServices;

namespace SecurityOperator.Hosting;

/// <summary>Hands the C heap's free pages back to the kernel every <see cref="Interval"/>, in every long-running role.
/// glibc's malloc returns freed memory to the kernel only from the top of each arena; what is freed below a block still
/// in use stays resident. OpenSSL allocates each TLS connection's buffers and state with malloc, so every wave of
/// webhook connections left megabytes of free but resident pages behind (the soak in docs/webhook.md, "Memory and
/// soak": 3.4 MB of 24.7 MB anonymous memory after 400,000 requests). malloc_trim(0) releases them (madvise, the pages
/// stay mapped); it takes each arena's lock briefly, so it runs rarely. The executable is linked against glibc
/// statically (tests run on the system's glibc); where no malloc_trim exists the trimmer stops after its first try.</summary>
internal static partial class NativeHeapTrimmer
{
    /// <summary>Twice a minute: a burst's leftovers go back within half a minute, and the call, which holds each arena's
    /// lock while it walks that arena's free pages, stays rare.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(TimeSpan interval, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, stopping).ConfigureAwait(false);
                if (!TryTrim(out _)) return;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>False when this C library has no malloc_trim; otherwise <paramref name="released"/> says whether any
    /// memory went back to the kernel.</summary>
    internal static bool TryTrim(out bool released)
    {
        try
        {
            released = MallocTrim(0) != 0;
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            released = false;
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
