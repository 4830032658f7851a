namespace SecurityOperator.Policy.Evaluation;

/// <summary>The caller-owned sink violations are written to. Reuse one per thread/request: <see cref="Clear"/> keeps
/// the storage, so after warm-up writing violations allocates nothing either.</summary>
public sealed class ViolationBuffer
{
    private Violation[] _items;

    public ViolationBuffer(int initialCapacity = 16) => _items = new Violation[Math.Max(1, initialCapacity)];

    public int Count { get; private set; }

    public ref readonly Violation this[int index] => ref _items[index];

    public ReadOnlySpan<Violation> AsSpan() => _items.AsSpan(0, Count);

    public void Add(in Violation violation)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = violation;
    }

    public void Clear() => Count = 0;
}
