using System.Buffers;
using System.Text.Json;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Mutation;

/// <summary>Turns a <see cref="MutationPlan"/> and the facts of the evaluated object into an RFC 6902 JSON Patch
/// (paths from the object's root, e.g. /spec/template/spec/containers/0/resources for a Deployment). Only "add" is
/// used, and only where the value is unset; a missing parent object is added whole, because an add under a missing
/// map fails on the API server.</summary>
public static partial class PatchBuilder
{
    /// <summary>Writes the patch array to <paramref name="output"/>; returns the number of operations (0: "[]").</summary>
    public static int Write(MutationPlan plan, PodFacts facts, in PodTemplateLocation location, IBufferWriter<byte> output)
    {
        using var patch = new PatchWriter(output);
        if (plan.Harden && !facts.IsWindows) HardenPod(facts, location.PointerPrefix, patch);
        var containers = facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
        {
            ref readonly var c = ref containers[i];
            var pointer = $"{location.PointerPrefix}/spec/{c.Section.FieldName()}/{c.IndexInSection}";
            if (plan.DefaultLimits.Count + plan.DefaultRequests.Count > 0 && c.Section != ContainerSection.EphemeralContainers)
                SetDefaults(plan, facts, c, pointer, patch);
            if (plan.Harden && !facts.IsWindows) HardenContainer(facts, c, pointer, patch);
        }
        ImageDigestPins.Write(facts, location.PointerPrefix, patch);
        return patch.Count;
    }

    /// <summary>The patch as bytes (convenience; the webhook base64-encodes it).</summary>
    public static byte[] Build(MutationPlan plan, PodFacts facts, in PodTemplateLocation location)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(plan, facts, location, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteObject(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, string>> properties)
    {
        w.WriteStartObject();
        foreach (var (key, value) in properties) w.WriteString(key, value);
        w.WriteEndObject();
    }
}
