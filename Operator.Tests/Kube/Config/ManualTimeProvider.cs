namespace SecurityOperator.Tests.Kube.Config;

/// <summary>A clock the test moves by hand, so expiry and refresh logic is tested without waiting.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => _now.UtcTicks;
    public void Advance(TimeSpan by) => _now += by;
}
