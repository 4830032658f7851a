using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace SecurityOperator.Admission;

/// <summary>Reads a whole request body from Kestrel's <see cref="PipeReader"/> into one pooled contiguous buffer (the
/// JSON reader and the evaluator want a single span). Data already buffered is taken without awaiting, so a small body
/// that arrived with its headers costs no asynchronous step.</summary>
internal static class RequestBodyReader
{
    // Most reviews are a few KB; a body without Content-Length starts here and doubles.
    private const int InitialSize = 16 * 1024;

    /// <summary>Throws <see cref="BodyTooLargeException"/> past <paramref name="maxBytes"/>, and
    /// <see cref="OperationCanceledException"/> when the read is cancelled through
    /// <see cref="PipeReader.CancelPendingRead"/> (a deadline: unlike a cancelled token, that leaves the reader in a
    /// consistent state, so Kestrel can still answer on the connection). Kestrel's BadHttpRequestException (truncated
    /// body, data rate) and I/O errors propagate. Nothing rented leaks either way.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<PooledBody> ReadAsync(PipeReader reader, long? contentLength, int maxBytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(contentLength is > 0 && contentLength <= maxBytes ? (int)contentLength.Value : InitialSize);
        var length = 0;
        try
        {
            while (true)
            {
                if (!reader.TryRead(out var result)) result = await reader.ReadAsync().ConfigureAwait(false);
                var data = result.Buffer;
                if (length + data.Length > maxBytes)
                {
                    reader.AdvanceTo(data.End);
                    throw new BodyTooLargeException(maxBytes);
                }
                if (length + data.Length > buffer.Length) buffer = Grow(buffer, length, (int)(length + data.Length));
                data.CopyTo(buffer.AsSpan(length));
                length += (int)data.Length;
                reader.AdvanceTo(data.End);
                if (result.IsCompleted) return new PooledBody(buffer, length);
                if (result.IsCanceled) throw new OperationCanceledException();
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static byte[] Grow(byte[] buffer, int used, int needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, buffer.Length * 2));
        buffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}

/// <summary>The body is larger than the webhook accepts (answered 413).</summary>
internal sealed class BodyTooLargeException(int maxBytes) : Exception($"the request body exceeds {maxBytes} bytes")
{
    public int MaxBytes { get; } = maxBytes;
}
