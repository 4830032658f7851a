using System.Text.Json;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Kube.Models;

public sealed class TimeConverterTests
{
    private static LeaseSpec ReadLease(string renew) =>
        JsonSerializer.Deserialize("{\"spec\":{\"renewTime\":\"" + renew + "\"}}", KubeJsonContext.Default.Lease)!.Spec!;

    [Fact]
    public void MicroTime_is_written_with_exactly_six_digits_in_utc()
    {
        var lease = new Lease { Spec = new LeaseSpec { RenewTime = new DateTimeOffset(2026, 11, 22, 13, 31, 10, TimeSpan.FromHours(2)).AddTicks(1234567) } };
        var json = JsonSerializer.Serialize(lease, KubeJsonContext.Default.Lease);
        Assert.Contains("\"renewTime\":\"2026-11-22T11:31:10.123456Z\"", json);
        var whole = new Lease { Spec = new LeaseSpec { RenewTime = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero) } };
        Assert.Contains("\"renewTime\":\"2026-11-22T12:00:00.000000Z\"", JsonSerializer.Serialize(whole, KubeJsonContext.Default.Lease));
    }

    [Theory]
    [InlineData("2026-11-22T12:00:00Z")]
    [InlineData("2026-11-22T12:00:00.12345Z")]
    [InlineData("2026-11-22T12:00:00.1234567Z")]
    [InlineData("yesterday")]
    public void MicroTime_without_six_digits_is_rejected_as_the_server_would(string value)
    {
        var e = Assert.Throws<JsonException>(() => ReadLease(value));
        Assert.Contains("exactly 6 fractional digits", e.Message);
    }

    [Fact]
    public void MicroTime_with_an_offset_is_read()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero).AddTicks(10), ReadLease("2026-11-22T12:00:00.000001+02:00").RenewTime);
    }

    [Fact]
    public void Time_is_written_in_whole_seconds_utc_and_read_with_any_offset()
    {
        var meta = new ObjectMeta { CreationTimestamp = new DateTimeOffset(2026, 11, 22, 13, 32, 13, TimeSpan.FromHours(2)).AddMilliseconds(900) };
        Assert.Equal("""{"apiVersion":"v1","kind":"Namespace","metadata":{"creationTimestamp":"2026-11-22T11:32:13Z"}}""",
            JsonSerializer.Serialize(new Namespace { Metadata = meta }, KubeJsonContext.Default.Namespace));
        var read = JsonSerializer.Deserialize("""{"metadata":{"creationTimestamp":"2026-11-22T13:32:13+02:00"}}""", KubeJsonContext.Default.Namespace)!;
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 32, 13, TimeSpan.Zero), read.Metadata.CreationTimestamp);
    }

    [Fact]
    public void Time_that_is_not_rfc3339_is_rejected()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"metadata":{"creationTimestamp":"11/22/2026"}}""", KubeJsonContext.Default.Namespace));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"metadata":{"creationTimestamp":5}}""", KubeJsonContext.Default.Namespace));
    }

    [Fact]
    public void Event_series_uses_microtime()
    {
        var evt = new Event { Series = new EventSeries { Count = 2, LastObservedTime = new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.Zero) } };
        Assert.Contains("\"series\":{\"count\":2,\"lastObservedTime\":\"2026-11-22T11:00:00.000000Z\"}", JsonSerializer.Serialize(evt, KubeJsonContext.Default.Event));
    }
}
