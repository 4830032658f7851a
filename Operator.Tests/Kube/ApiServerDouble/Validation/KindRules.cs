using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Validation;

/// <summary>Per-kind decoding checks, defaults and validation, dispatched by kind. Kinds without rules get only the
/// ObjectMeta checks.</summary>
public static class KindRules
{
    /// <summary>Decode-time checks (400), run on every create/update body.</summary>
    public static void Decode(ResourceType type, JsonObject obj)
    {
        if (type == ResourceCatalog.Leases)
        {
            MicroTime.Check(obj["spec"]?["acquireTime"], type);
            MicroTime.Check(obj["spec"]?["renewTime"], type);
        }
        else if (type == ResourceCatalog.Events)
            MicroTime.Check(obj["eventTime"], type);
    }

    /// <summary>Server-side defaults applied on create (and kept on update).</summary>
    public static void Default(ResourceType type, JsonObject obj)
    {
        if (type == ResourceCatalog.Pods) PodRules.Default(obj);
        else if (type == ResourceCatalog.Namespaces) DefaultNamespace(obj);
        else if (type == ResourceCatalog.SecurityPolicies || type == ResourceCatalog.ClusterSecurityPolicies) DefaultSecurityPolicy(obj);
        else if (type == ResourceCatalog.NetworkPolicies) DefaultNetworkPolicy(obj);
        else if (type == ResourceCatalog.CoreEvents) DefaultCoreEvent(obj);
        else if (type == ResourceCatalog.Events) DefaultEvent(obj);
    }

    /// <summary>events-01 RESPONSE 4: a core Event is served with eventTime null and empty reporting fields.</summary>
    private static void DefaultCoreEvent(JsonObject ev)
    {
        ev.TryAdd("eventTime", null);
        ev.TryAdd("reportingComponent", "");
        ev.TryAdd("reportingInstance", "");
    }

    /// <summary>events-01 RESPONSE 1: events.k8s.io/v1 Events show the deprecated core fields, empty.</summary>
    private static void DefaultEvent(JsonObject ev)
    {
        ev.TryAdd("deprecatedSource", new JsonObject());
        ev.TryAdd("deprecatedFirstTimestamp", null);
        ev.TryAdd("deprecatedLastTimestamp", null);
    }

    public static List<FieldCause> ValidateCreate(ResourceType type, JsonObject obj)
    {
        var causes = new List<FieldCause>();
        if (obj["metadata"] is JsonObject metadata)
            MetadataValidator.Validate(metadata, dnsLabelNames: type == ResourceCatalog.Namespaces, causes);
        ValidateKind(type, obj, causes);
        return causes;
    }

    public static List<FieldCause> ValidateUpdate(ResourceType type, JsonObject oldObj, JsonObject newObj)
    {
        var causes = new List<FieldCause>();
        if (newObj["metadata"] is JsonObject metadata)
            MetadataValidator.Validate(metadata, dnsLabelNames: type == ResourceCatalog.Namespaces, causes);
        ValidateKind(type, newObj, causes);
        if (type == ResourceCatalog.Pods) PodRules.ValidateUpdate(oldObj, newObj, causes);
        return causes;
    }

    private static void ValidateKind(ResourceType type, JsonObject obj, List<FieldCause> causes)
    {
        if (type == ResourceCatalog.Pods) PodRules.Validate(obj, causes);
        else if (type == ResourceCatalog.Leases) ValidateLease(obj, causes);
        else if (type == ResourceCatalog.Events) ValidateEvent(obj, causes);
        else if (type == ResourceCatalog.NetworkPolicies) ValidateNetworkPolicy(obj, causes);
    }

    /// <summary>coord-01 REQUEST 8.</summary>
    private static void ValidateLease(JsonObject lease, List<FieldCause> causes)
    {
        if (lease["spec"]?["leaseDurationSeconds"] is { } duration && JsonNumbers.AsLong(duration) is not > 0)
            causes.Add(FieldCause.InvalidValue("spec.leaseDurationSeconds", duration.ToJsonString(), "must be greater than 0"));
        if (lease["spec"]?["leaseTransitions"] is { } transitions && JsonNumbers.AsLong(transitions) is not >= 0)
            causes.Add(FieldCause.InvalidValue("spec.leaseTransitions", transitions.ToJsonString(), "must be greater than or equal to 0"));
    }

    /// <summary>events-01 REQUEST 3: eventTime is required and type must be Normal or Warning. (The recording shows a
    /// missing reportingInstance is NOT rejected, so it is not checked here.)</summary>
    private static void ValidateEvent(JsonObject ev, List<FieldCause> causes)
    {
        if (ev["eventTime"] is null) causes.Add(FieldCause.Required("eventTime"));
        var type = ev["type"]?.GetValue<string>() ?? "";
        if (type is not ("Normal" or "Warning"))
            causes.Add(FieldCause.InvalidValue("type", "\"\"", $"has invalid value: {type}"));
    }

    /// <summary>pods-01 RESPONSE 1: the name label and the kubernetes finalizer; phase Active.</summary>
    private static void DefaultNamespace(JsonObject ns)
    {
        var metadata = (JsonObject)ns["metadata"]!;
        var labels = metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
        var name = metadata["name"]?.GetValue<string>();
        if (name is not null)
        {
            // The recorded label order is alphabetical: kubernetes.io/metadata.name before team.
            var sorted = labels.Where(p => p.Key != "kubernetes.io/metadata.name").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))
                .Append(KeyValuePair.Create("kubernetes.io/metadata.name", (JsonNode?)name))
                .OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            metadata["labels"] = new JsonObject(sorted);
        }
        var spec = ns["spec"] as JsonObject ?? (JsonObject)(ns["spec"] = new JsonObject());
        spec.TryAdd("finalizers", new JsonArray("kubernetes"));
    }

    /// <summary>crd-02 REQUEST 4: schema defaults enforcement=Audit and rules[].severity=medium.</summary>
    private static void DefaultSecurityPolicy(JsonObject policy)
    {
        if (policy["spec"] is not JsonObject spec) return;
        spec.TryAdd("enforcement", "Audit");
        if (spec["rules"] is JsonArray rules)
            foreach (var rule in rules.OfType<JsonObject>()) rule.TryAdd("severity", "medium");
    }

    /// <summary>netpol-01: without policyTypes the server fills in ["Ingress"] (plus "Egress" when egress rules exist).</summary>
    /// <summary>Empty ingress/egress lists are omitted in responses (Go omitempty), also netpol-01.</summary>
    private static void DefaultNetworkPolicy(JsonObject policy)
    {
        if (policy["spec"] is not JsonObject spec) return;
        if (!spec.ContainsKey("policyTypes"))
        {
            var types = new JsonArray("Ingress");
            if (spec["egress"] is JsonArray { Count: > 0 }) types.Add("Egress");
            spec["policyTypes"] = types;
        }
        foreach (var list in new[] { "ingress", "egress" })
            if (spec[list] is JsonArray { Count: 0 }) spec.Remove(list);
    }

    /// <summary>netpol-01 REQUEST 3: port range and policyTypes values.</summary>
    private static void ValidateNetworkPolicy(JsonObject policy, List<FieldCause> causes)
    {
        if (policy["spec"] is not JsonObject spec) return;
        foreach (var direction in new[] { "ingress", "egress" })
        {
            if (spec[direction] is not JsonArray rules) continue;
            for (var r = 0; r < rules.Count; r++)
                if (rules[r]?["ports"] is JsonArray ports)
                    for (var p = 0; p < ports.Count; p++)
                        if (ports[p]?["port"] is { } port && port.GetValueKind() == System.Text.Json.JsonValueKind.Number && JsonNumbers.AsLong(port) is not (>= 1 and <= 65535))
                            causes.Add(FieldCause.InvalidValue($"spec.{direction}[{r}].ports[{p}].port", port.ToJsonString(), "must be between 1 and 65535, inclusive"));
        }
        if (spec["policyTypes"] is JsonArray policyTypes)
            for (var i = 0; i < policyTypes.Count; i++)
            {
                var value = policyTypes[i]?.ToString() ?? "";
                if (value is not ("Ingress" or "Egress"))
                    causes.Add(FieldCause.NotSupported($"spec.policyTypes[{i}]", MetadataValidator.Quote(value), ["Ingress", "Egress"]));
            }
    }
}
