using System.Text;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Mutation;

public static partial class PatchBuilder
{
    /// <summary>Adds missing limits/requests. A default never produces request &gt; limit (which the API server
    /// rejects): a missing request above an existing limit takes the limit's value, a missing limit below an existing
    /// request takes the request's value.</summary>
    private static void SetDefaults(MutationPlan plan, PodFacts facts, in ContainerFacts c, string pointer, PatchWriter patch)
    {
        var declared = facts.ResourcesOf(c);
        var limits = Missing(plan.DefaultLimits, facts, declared, isLimit: true);
        var requests = Missing(plan.DefaultRequests, facts, declared, isLimit: false);
        if (limits.Count + requests.Count == 0) return;
        if (!c.HasResources)
        {
            patch.Add($"{pointer}/resources", w =>
            {
                w.WriteStartObject();
                if (limits.Count > 0) { w.WritePropertyName("limits"); WriteObject(w, limits); }
                if (requests.Count > 0) { w.WritePropertyName("requests"); WriteObject(w, requests); }
                w.WriteEndObject();
            });
            return;
        }
        AddSection(patch, $"{pointer}/resources", "limits", c.HasLimits, limits);
        AddSection(patch, $"{pointer}/resources", "requests", c.HasRequests, requests);
    }

    private static void AddSection(PatchWriter patch, string resourcesPointer, string section, bool exists, List<KeyValuePair<string, string>> values)
    {
        if (values.Count == 0) return;
        if (!exists)
        {
            patch.Add($"{resourcesPointer}/{section}", w => WriteObject(w, values));
            return;
        }
        foreach (var (name, quantity) in values)
            patch.Add(JsonPointer.Join(resourcesPointer, section, name), w => w.WriteStringValue(quantity));
    }

    private static List<KeyValuePair<string, string>> Missing(IReadOnlyList<KeyValuePair<string, string>> defaults, PodFacts facts,
        ReadOnlySpan<ResourceFact> declared, bool isLimit)
    {
        var missing = new List<KeyValuePair<string, string>>();
        foreach (var (name, quantity) in defaults)
        {
            string? own = null, other = null;
            foreach (var fact in declared)
            {
                if (!facts.Text(fact.Name).SequenceEqual(Encoding.UTF8.GetBytes(name))) continue;
                if (fact.IsLimit == isLimit) own = facts.String(fact.Quantity);
                else other = facts.String(fact.Quantity);
            }
            if (own is not null) continue;
            var value = quantity;
            if (other is not null && Quantity.TryParse(other, out var existing) && Quantity.TryParse(quantity, out var proposed)
                && (isLimit ? existing > proposed : existing < proposed))
                value = other;
            missing.Add(new(name, value));
        }
        return missing;
    }
}
