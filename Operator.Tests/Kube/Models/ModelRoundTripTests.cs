using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.Client;

namespace SecurityOperator.Tests.Kube.Models;

/// <summary>Real server bodies read into the models and written back must come out the same: unknown fields are kept.</summary>
public sealed class ModelRoundTripTests
{
    private static void AssertRoundTrip<T>(string file, int number, JsonTypeInfo<T> type)
    {
        var original = Transcript.Exchange(file, number).Response.Body;
        var model = JsonSerializer.Deserialize(original, type)!;
        var written = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(model, type))!;
        // List items come without apiVersion/kind; the models default them (handy when creating objects), which is the
        // only thing a round trip may add.
        if (written["items"] is JsonArray items)
            foreach (var item in items) { item!.AsObject().Remove("apiVersion"); item.AsObject().Remove("kind"); }
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(original), written), $"{file} #{number} changed in a round trip:\n{written.ToJsonString()}");
    }

    [Fact] public void Pod() => AssertRoundTrip("pods-02-get.txt", 1, KubeJsonContext.Default.Pod);
    [Fact] public void Terminating_pod() => AssertRoundTrip("pods-10-delete.txt", 3, KubeJsonContext.Default.Pod);
    [Fact] public void Pod_list_page() => AssertRoundTrip("pods-03-list-paging.txt", 1, KubeJsonContext.Default.KubeListPod);
    [Fact] public void Namespace() => AssertRoundTrip("pods-01-create.txt", 1, KubeJsonContext.Default.Namespace);
    [Fact] public void Lease() => AssertRoundTrip("coord-01-lease-leader-election.txt", 1, KubeJsonContext.Default.Lease);
    [Fact] public void Event() => AssertRoundTrip("events-01-events-k8s-io-and-core.txt", 1, KubeJsonContext.Default.Event);
    [Fact] public void Network_policy() => AssertRoundTrip("netpol-01-deny-all.txt", 1, KubeJsonContext.Default.NetworkPolicy);
    [Fact] public void Invalid_status_with_causes() => AssertRoundTrip("errors-422-invalid.txt", 1, KubeJsonContext.Default.Status);
    [Fact] public void Delete_status() => AssertRoundTrip("crd-02-custom-resource-status-subresource.txt", 6, KubeJsonContext.Default.Status);

    [Fact]
    public void Typed_fields_are_read()
    {
        var pod = JsonSerializer.Deserialize(Transcript.Exchange("pods-10-delete.txt", 3).Response.Body, KubeJsonContext.Default.Pod)!;
        Assert.Equal("node-a", pod.Spec!.NodeName);
        Assert.Equal("default", pod.Spec.ServiceAccountName);
        Assert.Contains(pod.Spec.Volumes!, v => v.Name.StartsWith("kube-api-access-", StringComparison.Ordinal));
        Assert.Equal(30, pod.Metadata.DeletionGracePeriodSeconds);
        Assert.NotNull(pod.Metadata.DeletionTimestamp);

        var evt = JsonSerializer.Deserialize(Transcript.Exchange("events-01-events-k8s-io-and-core.txt", 1).Response.Body, KubeJsonContext.Default.Event)!;
        Assert.Equal("Pod", evt.Regarding!.Kind);
        Assert.Equal("PolicyViolation", evt.Reason);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 32, 32, TimeSpan.Zero).AddTicks(4224270), evt.EventTime);

        var policy = JsonSerializer.Deserialize(Transcript.Exchange("netpol-01-deny-all.txt", 1).Response.Body, KubeJsonContext.Default.NetworkPolicy)!;
        Assert.Equal(["Ingress", "Egress"], policy.Spec!.PolicyTypes);
        Assert.Equal("true", policy.Spec.PodSelector.MatchLabels!["security.io/quarantine"]);
    }

    [Fact]
    public void Event_read_through_the_other_api_has_null_event_time()
    {
        var evt = JsonSerializer.Deserialize(Transcript.Exchange("events-01-events-k8s-io-and-core.txt", 6).Response.Body, KubeJsonContext.Default.Event)!;
        Assert.Null(evt.EventTime);
        Assert.True(evt.Extra!.ContainsKey("deprecatedCount"));
    }

    [Fact]
    public void Deny_all_policy_keeps_empty_rule_lists_when_written()
    {
        var policy = new NetworkPolicy
        {
            Metadata = new ObjectMeta { Name = "quarantine" },
            Spec = new NetworkPolicySpec { PolicyTypes = ["Ingress", "Egress"], Ingress = [], Egress = [] },
        };
        Assert.Equal("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"quarantine"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"],"ingress":[],"egress":[]}}""",
            JsonSerializer.Serialize(policy, KubeJsonContext.Default.NetworkPolicy));
    }

    [Fact]
    public void Policy_report_has_the_wgpolicy_shape()
    {
        var report = new PolicyReport
        {
            Metadata = new ObjectMeta { Name = "pod-web-0", Namespace = "secops" },
            Scope = new ObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "web-0", Namespace = "secops" },
            Summary = new PolicyReportSummary { Fail = 1 },
            Results =
            [
                new PolicyReportResult
                {
                    Source = "security-operator", Policy = "no-privileged", Rule = "deny-privileged", Result = "fail", Severity = "high",
                    Category = "Pod Security Standards (Baseline)", Message = "container app is privileged",
                    Resources = [new ObjectReference { ApiVersion = "v1", Kind = "Pod", Name = "web-0", Namespace = "secops" }],
                    Timestamp = ProtobufTimestamp.From(new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.Zero).AddTicks(5)),
                    Properties = new Dictionary<string, string> { ["container"] = "app" },
                },
            ],
        };
        var json = JsonNode.Parse(JsonSerializer.Serialize(report, KubeJsonContext.Default.PolicyReport))!;
        Assert.Equal("wgpolicyk8s.io/v1alpha2", (string?)json["apiVersion"]);
        Assert.Equal(1, (int?)json["summary"]!["fail"]);
        Assert.Equal(0, (int?)json["summary"]!["pass"]);
        Assert.Equal(1795345200L, (long?)json["results"]![0]!["timestamp"]!["seconds"]);
        Assert.Equal(500, (int?)json["results"]![0]!["timestamp"]!["nanos"]);
        Assert.Equal("app", (string?)json["results"]![0]!["properties"]!["container"]);
        Assert.Equal(report.Results[0].Timestamp!.ToDateTimeOffset(),
            JsonSerializer.Deserialize(json.ToJsonString(), KubeJsonContext.Default.PolicyReport)!.Results![0].Timestamp!.ToDateTimeOffset());
    }
}
