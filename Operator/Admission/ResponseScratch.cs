using System.Buffers;
using System.Text.Json;

namespace SecurityOperator.Admission;

/// <summary>Per-thread response buffer and JSON writer: an answer is composed synchronously on one thread, then copied
/// into Kestrel's response pipe before the first await, so the buffer is never shared across requests.</summary>
internal sealed class ResponseScratch
{
    [ThreadStatic] private static ResponseScratch? _current;

    private ResponseScratch()
    {
        Output = new ArrayBufferWriter<byte>(4096);
        Json = new Utf8JsonWriter(Output, AdmissionResponseWriter.WriterOptions);
    }

    public ArrayBufferWriter<byte> Output { get; }
    public Utf8JsonWriter Json { get; }

    /// <summary>This thread's scratch, emptied.</summary>
    public static ResponseScratch Begin()
    {
        var scratch = _current ??= new ResponseScratch();
        scratch.Output.ResetWrittenCount();
        scratch.Json.Reset(scratch.Output);
        return scratch;
    }
}
