namespace SecurityOperator.Kube.Client;

/// <summary>The body of a streaming response that also owns the response and its deadline: when the deadline fires the
/// response is disposed, which aborts a read that is blocked on a dead connection.</summary>
internal sealed class OwnedResponseStream : Stream
{
    private readonly Stream _inner;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _lifetime;
    private readonly CancellationTokenRegistration _abort;

    public OwnedResponseStream(Stream inner, HttpResponseMessage response, CancellationTokenSource lifetime)
    {
        _inner = inner;
        _response = response;
        _lifetime = lifetime;
        _abort = lifetime.Token.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => _inner.Read(buffer);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _abort.Dispose();
            _inner.Dispose();
            _response.Dispose();
            _lifetime.Dispose();
        }
        base.Dispose(disposing);
    }
}
