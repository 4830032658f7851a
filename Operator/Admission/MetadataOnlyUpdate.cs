using System.Text.Json;

namespace SecurityOperator.Admission;

/// <summary>The rule for UPDATEs: when the new object's "spec" is byte-identical to the old object's, the update
/// changed only metadata (labels, annotations, finalizers, owner references...) and cannot have introduced a
/// violation of a pod-template rule; such an update is not denied for violations the object already had (they are
/// returned as warnings instead), so that e.g. removing a finalizer or relabelling a pod admitted before a policy
/// existed is never blocked. Every workload kind keeps its pod template under spec, so "spec unchanged" covers
/// them all. Both objects come from the same API server serializer, so unchanged content has identical bytes; a
/// difference in bytes alone is treated as a change (the update is evaluated normally, never more leniently).</summary>
public static class MetadataOnlyUpdate
{
    public static bool SpecUnchanged(ReadOnlySpan<byte> newObject, ReadOnlySpan<byte> oldObject)
    {
        var newSpec = TopLevelValue(newObject, "spec"u8);
        var oldSpec = TopLevelValue(oldObject, "spec"u8);
        return newSpec.IsPresent && oldSpec.IsPresent && newSpec.Of(newObject).SequenceEqual(oldSpec.Of(oldObject));
    }

    /// <summary>The raw value of a top-level property, Absent when missing or the object is not valid JSON.</summary>
    private static ByteRange TopLevelValue(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return ByteRange.Absent;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (match) return new ByteRange(start, (int)reader.BytesConsumed - start);
            }
        }
        catch (JsonException)
        {
        }
        return ByteRange.Absent;
    }
}
