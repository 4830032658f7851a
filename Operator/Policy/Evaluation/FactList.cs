namespace SecurityOperator.Policy.Evaluation;

/// <summary>A growable array of fact structs that keeps its storage between evaluations, so that after warm-up
/// collecting facts allocates nothing. Items are addressed by index; <see cref="Add"/> returns the new index.</summary>
public sealed class FactList<T> where T : struct
{
    private T[] _items;

    public FactList(int initialCapacity) => _items = new T[initialCapacity];

    public int Count { get; private set; }

    public ref T this[int index] => ref _items[index];

    public ReadOnlySpan<T> AsSpan() => _items.AsSpan(0, Count);

    public ReadOnlySpan<T> Slice(int start, int count) => _items.AsSpan(start, count);

    public int Add(in T item)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count] = item;
        return Count++;
    }

    public void Clear() => Count = 0;
}
