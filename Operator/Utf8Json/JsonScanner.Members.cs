using System.Text.Json;

namespace SecurityOperator.Utf8Json;

public ref partial struct JsonScanner
{
    /// <summary>Moves to the next member of the object being walked: exactly <see cref="Read"/> followed by a test for
    /// <see cref="JsonTokenType.PropertyName"/> (false on the object's EndObject, which becomes the current token), for
    /// callers that walk an object's members from its StartObject or from a member's value. The state such a caller
    /// stands in is tested directly instead of Read's dispatch on the last token, and the name is scanned in the same
    /// call: about half of a pod's tokens are names. Anything else (another state, the end of the input, malformed
    /// JSON) is left to Read, which then reads or throws exactly as it always does.</summary>
    public bool ReadNextProperty()
    {
        var json = _json;
        var position = SkipWhitespace(json, _position);
        if ((uint)position < (uint)json.Length)
        {
            var next = json[position];
            if (_tokenType == JsonTokenType.StartObject)
            {
                if (next == (byte)'"') return ReadPropertyName(position, next);
                if (next == (byte)'}') return CloseObject(position);
            }
            else if (_tokenType >= JsonTokenType.String || _tokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                // After a value: only inside an object ("_depth > 0" first: at the root, Read has the error to throw).
                if (_depth > 0 && InObject)
                {
                    if (next == (byte)',')
                    {
                        var name = SkipWhitespace(json, position + 1);
                        if ((uint)name < (uint)json.Length && json[name] == (byte)'"') return ReadPropertyName(name, (byte)'"');
                    }
                    if (next == (byte)'}') return CloseObject(position);
                }
            }
        }
        return Read() && _tokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Moves to the value of the current property when it is a string: exactly <see cref="Read"/> followed by a
    /// test for <see cref="JsonTokenType.String"/>, for callers that expect a string there (most of the values a pod's
    /// facts are made of). On a property name with the string right after its colon, the string is scanned here;
    /// anything else (another state, whitespace, another value, malformed JSON) is left to Read.</summary>
    public bool ReadStringValue()
    {
        var json = _json;
        var position = _position;
        if (_tokenType == JsonTokenType.PropertyName && (uint)position < (uint)json.Length && json[position] == (byte)'"')
        {
            _tokenStart = position;
            var end = ScanString(position);
            _tokenType = JsonTokenType.String;
            _position = end + 1;
            return true;
        }
        return Read() && _tokenType == JsonTokenType.String;
    }

    /// <summary>Read's EndObject (and its reset of the escape flag); false, the value <see cref="ReadNextProperty"/> returns.</summary>
    private bool CloseObject(int position)
    {
        _valueIsEscaped = false;
        Close(position, JsonTokenType.EndObject);
        return false;
    }
}
