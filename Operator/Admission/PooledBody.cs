using System.Buffers;

namespace SecurityOperator.Admission;

/// <summary>A request body in a buffer rented from <see cref="ArrayPool{T}.Shared"/>; Dispose returns it (call it in
/// a finally: a body is never kept beyond its request).</summary>
internal struct PooledBody : IDisposable
{
    private byte[]? _buffer;

    public PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public readonly ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public void Dispose()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
