using System.Buffers;

namespace SecurityOperator.Admission;

/// <summary>Per-thread buffers of the admission path (the evaluator's own scratch is separate): a review is decided
/// and written synchronously on one thread, so these are reused without locks or allocation.</summary>
internal sealed class AdmissionScratch
{
    [ThreadStatic] private static AdmissionScratch? _current;

    public static AdmissionScratch ForCurrentThread => _current ??= new AdmissionScratch();

    public ArrayBufferWriter<byte> Patch { get; } = new(1024);
}
