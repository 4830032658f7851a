using SecurityOperator.Runtime.Bpf;

namespace SecurityOperator.Runtime.Detection;

/// <summary>Turns the events' bpf_ktime_get_boot_ns (CLOCK_BOOTTIME) into wall-clock time, with the offset between
/// the two clocks read once at start (a later clock step shifts alert times by that step, as in Falco).</summary>
public sealed unsafe class BootClock
{
    private readonly long _offsetNs;

    public BootClock()
    {
        long* boot = stackalloc long[2];
        long* real = stackalloc long[2];
        Native.ClockGettime(Native.ClockBoottime, boot);
        Native.ClockGettime(Native.ClockRealtime, real);
        _offsetNs = (real[0] - boot[0]) * 1_000_000_000 + (real[1] - boot[1]);
    }

    public BootClock(long offsetNs) => _offsetNs = offsetNs;

    public DateTimeOffset ToWallClock(ulong bootNs) =>
        DateTimeOffset.UnixEpoch.AddTicks(((long)bootNs + _offsetNs) / 100);
}
