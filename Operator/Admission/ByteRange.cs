namespace SecurityOperator.Admission;

/// <summary>A slice of the request body, kept as offsets so that a parsed review holds no copies of the body.
/// Absent: Start -1.</summary>
public readonly record struct ByteRange(int Start, int Length)
{
    public static readonly ByteRange Absent = new(-1, 0);

    public bool IsPresent => Start >= 0;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> body) => IsPresent ? body.Slice(Start, Length) : default;
}
