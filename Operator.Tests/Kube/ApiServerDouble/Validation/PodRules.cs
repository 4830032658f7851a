using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer.Validation;

/// <summary>Pod defaulting and validation: the subset of kube-apiserver's pod strategy the operator meets.</summary>
public static class PodRules
{
    /// <summary>Server defaults seen in every pod response of the transcripts (pods-01 RESPONSE 2). Not added: the
    /// projected kube-api-access volume and its mounts (ServiceAccount admission) and the DefaultTolerationSeconds
    /// tolerations; a test that needs them seeds them.</summary>
    public static void Default(JsonObject pod)
    {
        var spec = pod["spec"] as JsonObject ?? (JsonObject)(pod["spec"] = new JsonObject());
        foreach (var list in new[] { "containers", "initContainers" })
            if (spec[list] is JsonArray containers)
                foreach (var c in containers.OfType<JsonObject>()) DefaultContainer(c);
        spec.TryAdd("restartPolicy", "Always");
        spec.TryAdd("terminationGracePeriodSeconds", 30);
        spec.TryAdd("dnsPolicy", "ClusterFirst");
        if (!spec.ContainsKey("serviceAccountName")) spec["serviceAccountName"] = spec["serviceAccount"]?.DeepClone() ?? "default";
        spec.TryAdd("serviceAccount", spec["serviceAccountName"]!.DeepClone());
        spec.TryAdd("securityContext", new JsonObject());
        spec.TryAdd("schedulerName", "default-scheduler");
        spec.TryAdd("priority", 0);
        spec.TryAdd("enableServiceLinks", true);
        spec.TryAdd("preemptionPolicy", "PreemptLowerPriority");
        AddDefaultTolerations(spec);
    }

    /// <summary>The DefaultTolerationSeconds admission plugin (pods-01 RESPONSE 2, pods-07 REQUEST 3): a pod that does
    /// not tolerate not-ready/unreachable NoExecute taints gets 300 s tolerations for them, on create and on update.</summary>
    private static void AddDefaultTolerations(JsonObject spec)
    {
        foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            var tolerations = spec["tolerations"] as JsonArray;
            var tolerated = tolerations?.OfType<JsonObject>().Any(t =>
                (t["key"]?.GetValue<string>() is var k && (k == key || (string.IsNullOrEmpty(k) && t["operator"]?.GetValue<string>() == "Exists")))
                && t["effect"]?.GetValue<string>() is null or "" or "NoExecute") ?? false;
            if (tolerated) continue;
            if (tolerations is null) spec["tolerations"] = tolerations = [];
            tolerations.Add(new JsonObject { ["key"] = key, ["operator"] = "Exists", ["effect"] = "NoExecute", ["tolerationSeconds"] = 300 });
        }
    }

    private static void DefaultContainer(JsonObject c)
    {
        if (c["ports"] is JsonArray ports)
            foreach (var p in ports.OfType<JsonObject>()) p.TryAdd("protocol", "TCP");
        c.TryAdd("resources", new JsonObject());
        c.TryAdd("terminationMessagePath", "/dev/termination-log");
        c.TryAdd("terminationMessagePolicy", "File");
        // imagePullPolicy: Always for ":latest" or an untagged image, IfNotPresent otherwise (core/v1 defaults).
        var image = c["image"]?.GetValue<string>() ?? "";
        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var tagged = lastSegment.Contains(':') || image.Contains('@');
        c.TryAdd("imagePullPolicy", !tagged || image.EndsWith(":latest", StringComparison.Ordinal) ? "Always" : "IfNotPresent");
    }

    /// <summary>The status a new pod gets (pods-01): Pending, with the QoS class of its resources.</summary>
    public static JsonObject InitialStatus(JsonObject pod)
    {
        var containers = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var anyResources = containers.Any(c => c["resources"] is JsonObject r && (r["requests"] is JsonObject { Count: > 0 } || r["limits"] is JsonObject { Count: > 0 }));
        var guaranteed = containers.Count > 0 && containers.All(c =>
            c["resources"]?["limits"] is JsonObject limits && limits["cpu"] is not null && limits["memory"] is not null
            && (c["resources"]?["requests"] is not JsonObject requests || requests.All(r => JsonNode.DeepEquals(r.Value, limits[r.Key]))));
        return new JsonObject { ["phase"] = "Pending", ["qosClass"] = guaranteed ? "Guaranteed" : anyResources ? "Burstable" : "BestEffort" };
    }

    /// <summary>errors-422 REQUEST 1/2: containers required, image required, port range, restartPolicy values.</summary>
    public static void Validate(JsonObject pod, List<FieldCause> causes)
    {
        var spec = pod["spec"] as JsonObject;
        if (spec?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            causes.Add(FieldCause.Required("spec.containers"));
            return;
        }
        for (var i = 0; i < containers.Count; i++)
        {
            if (containers[i] is not JsonObject c) continue;
            var at = $"spec.containers[{i}]";
            if (string.IsNullOrEmpty(c["name"]?.GetValue<string>())) causes.Add(FieldCause.Required($"{at}.name"));
            if (string.IsNullOrEmpty(c["image"]?.GetValue<string>())) causes.Add(FieldCause.Required($"{at}.image"));
            if (c["ports"] is JsonArray ports)
                for (var p = 0; p < ports.Count; p++)
                {
                    var port = ports[p]?["containerPort"];
                    if (port is null) causes.Add(FieldCause.Required($"{at}.ports[{p}].containerPort"));
                    else if (JsonNumbers.AsLong(port) is not (>= 1 and <= 65535))
                        causes.Add(FieldCause.InvalidValue($"{at}.ports[{p}].containerPort", port.ToJsonString(), "must be between 1 and 65535, inclusive"));
                }
        }
        var restart = spec["restartPolicy"]?.GetValue<string>();
        if (restart is not null and not ("Always" or "OnFailure" or "Never"))
            causes.Add(FieldCause.NotSupported("spec.restartPolicy", MetadataValidator.Quote(restart), ["Always", "OnFailure", "Never"]));
    }

    /// <summary>pods-07 REQUEST 2: after creation only images, activeDeadlineSeconds, added tolerations and
    /// terminationGracePeriodSeconds may change. The real message appends a Go diff of the spec; the double sends the
    /// sentence without the diff.</summary>
    public static void ValidateUpdate(JsonObject oldPod, JsonObject newPod, List<FieldCause> causes)
    {
        var before = MutableFieldsCleared(oldPod["spec"] as JsonObject);
        var after = MutableFieldsCleared(newPod["spec"] as JsonObject);
        var oldTolerations = oldPod["spec"]?["tolerations"] as JsonArray ?? [];
        var newTolerations = newPod["spec"]?["tolerations"] as JsonArray ?? [];
        var tolerationsRemoved = oldTolerations.Any(t => !newTolerations.Any(n => JsonNode.DeepEquals(n, t)));
        // spec.nodeName may be set once (binding); clearing or changing it is not allowed.
        var oldNode = oldPod["spec"]?["nodeName"]?.GetValue<string>();
        if (oldNode is null) after?.Remove("nodeName");
        if (!JsonNode.DeepEquals(before, after) || tolerationsRemoved)
            causes.Add(FieldCause.Forbidden("spec",
                "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
    }

    private static JsonObject? MutableFieldsCleared(JsonObject? spec)
    {
        if (spec is null) return null;
        var copy = (JsonObject)spec.DeepClone();
        copy.Remove("activeDeadlineSeconds");
        copy.Remove("tolerations");
        copy.Remove("terminationGracePeriodSeconds");
        foreach (var list in new[] { "containers", "initContainers" })
            if (copy[list] is JsonArray containers)
                foreach (var c in containers.OfType<JsonObject>()) c.Remove("image");
        return copy;
    }
}
