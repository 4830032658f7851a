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
}
