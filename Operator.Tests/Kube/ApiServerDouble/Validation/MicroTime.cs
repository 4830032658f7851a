using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SecurityOperator.Tests.Kube.ApiServer.Validation;

/// <summary>metav1.MicroTime decoding: RFC 3339 with exactly 6 fractional digits. Anything else fails while decoding the
/// body, before validation, as a 400 (coord-01 REQUEST 7).</summary>
public static partial class MicroTime
{
    private const string Layout = "2006-01-02T15:04:05.000000Z07:00";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Format();

    /// <summary>Throws the 400 if the string at <paramref name="value"/> is not a MicroTime. Null is allowed.</summary>
    public static void Check(JsonNode? value, ResourceType type)
    {
        if (value is null) return;
        var text = value.GetValue<string>();
        if (Format().IsMatch(text)) return;
        // Go reports the unparsed remainder against the layout element it expected; past the seconds that is ".000000".
        var remainder = text.Length > 19 ? text[19..] : text;
        throw StatusErrors.BadRequest(
            $"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: parsing time {MetadataValidator.Quote(text)} as \"{Layout}\": cannot parse {MetadataValidator.Quote(remainder)} as \".000000\"");
    }
}
