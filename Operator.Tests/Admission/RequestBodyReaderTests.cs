using System.IO.Pipelines;
using SecurityOperator.Admission;

namespace SecurityOperator.Tests.Admission;

public class RequestBodyReaderTests
{
    private static readonly byte[] Review = AdmissionTranscripts.Call("adm-01", 2).Body;

    [Fact]
    public async Task ABodyThatHasArrivedIsTakenWithoutWaiting()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Review);
        await pipe.Writer.CompleteAsync();
        Assert.True(RequestBodyReader.TryReadBuffered(pipe.Reader, 1 << 20, out var body));
        using (body) Assert.Equal(Review, body.Span.ToArray());
    }

    [Fact]
    public async Task ABodyStillArrivingIsLeftWholeForReadAsync()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Review.AsMemory(0, 100));
        Assert.False(RequestBodyReader.TryReadBuffered(pipe.Reader, 1 << 20, out _));
        await pipe.Writer.WriteAsync(Review.AsMemory(100));
        await pipe.Writer.CompleteAsync();
        using var body = await RequestBodyReader.ReadAsync(pipe.Reader, Review.Length, 1 << 20);
        Assert.Equal(Review, body.Span.ToArray());
    }

    [Fact]
    public async Task ABodyOverTheLimitIsLeftForReadAsyncToRefuse()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Review);
        await pipe.Writer.CompleteAsync();
        Assert.False(RequestBodyReader.TryReadBuffered(pipe.Reader, 1000, out _));
        await Assert.ThrowsAsync<BodyTooLargeException>(async () => (await RequestBodyReader.ReadAsync(pipe.Reader, null, 1000)).Dispose());
    }
}
