using System.Text.Json;

namespace SecurityOperator.Utf8Json;

public ref partial struct JsonScanner
{
    /// <summary>Skips the current value: on a property name, its value; on the start of a container, everything up to
    /// its matching end (left as the current token); on anything else, nothing. Everything skipped is validated.</summary>
    public void Skip()
    {
        if (_tokenType == JsonTokenType.PropertyName) Read();
        if (_tokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return;
        var depth = _depth;
        // The loop below needs no check of Read's result: inside a container Read either returns a token or throws.
        do Read();
        while (_depth >= depth);
    }

    /// <summary>The length of the JSON value at the start of <paramref name="json"/> (for an object, from its '{' to
    /// after its '}'), validated exactly as <see cref="Read"/> validates; -1 when it is malformed or truncated or nests
    /// deeper than <paramref name="maxDepth"/>. For callers that only step over a value, such as the AdmissionReview
    /// envelope over request.object: what follows the value is theirs to read.</summary>
    public static int MeasureValue(ReadOnlySpan<byte> json, int maxDepth)
    {
        if (maxDepth is < 1 or > DepthLimit) return -1;
        try
        {
            var scanner = new JsonScanner(json, maxDepth);
            scanner.Read();
            scanner.Skip();
            return scanner._position;
        }
        catch (JsonScanException)
        {
            return -1;
        }
    }
}
