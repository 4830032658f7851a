namespace SecurityOperator.Hosting.Metrics;

/// <summary>A double updated lock-free: metrics are bumped from request and event threads concurrently.</summary>
internal struct AtomicDouble
{
    private long _bits;

    public double Read() => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

    public void Set(double value) => Interlocked.Exchange(ref _bits, BitConverter.DoubleToInt64Bits(value));

    public void Add(double delta)
    {
        while (true)
        {
            var seen = Interlocked.Read(ref _bits);
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + delta);
            if (Interlocked.CompareExchange(ref _bits, next, seen) == seen) return;
        }
    }
}
