using System.Text.Json;

namespace SecurityOperator.Tests.Manifests;

/// <summary>The operator namespace's NetworkPolicies: a default deny of both directions for every pod, and allowances
/// that open only the API server and DNS (egress) and the webhook and metrics ports (ingress), never a whole direction.</summary>
public class NetworkPolicyTests
{
    private static List<ManifestDocument> Policies() =>
        ManifestTree.OfKind("NetworkPolicy").Where(p => p.Namespace == "security-operator").ToList();

    private static IEnumerable<(ManifestDocument Policy, JsonElement Rule)> RulesOf(string direction) =>
        Policies().SelectMany(p => p.Object.GetProperty("spec").TryGetProperty(direction, out var rules)
            ? rules.EnumerateArray().Select(r => (p, r)) : []);

    private static string Port(JsonElement port) =>
        $"{(port.TryGetProperty("protocol", out var proto) ? proto.GetString() : "TCP")}/{port.GetProperty("port").GetRawText()}";

    [Fact]
    public void Every_pod_of_the_namespace_is_denied_in_both_directions_by_default()
    {
        Assert.Contains(Policies(), p =>
        {
            var spec = p.Object.GetProperty("spec");
            return spec.GetProperty("podSelector").EnumerateObject().All(s => s.Value.EnumerateObject().Any() is false)
                && ManifestTree.Strings(spec, "policyTypes").Order().SequenceEqual(["Egress", "Ingress"])
                && !spec.TryGetProperty("ingress", out _) && !spec.TryGetProperty("egress", out _);
        });
    }

    [Fact]
    public void Egress_is_open_only_to_the_api_server_ports_and_to_cluster_dns()
    {
        var rules = RulesOf("egress").ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.True(r.Rule.TryGetProperty("ports", out _), $"{r.Policy}: an egress rule without ports opens every port"));
        var ports = rules.SelectMany(r => r.Rule.GetProperty("ports").EnumerateArray().Select(Port)).ToHashSet();
        Assert.Equal(new[] { "TCP/443", "TCP/53", "TCP/6443", "UDP/53" }, ports.Order(StringComparer.Ordinal));

        // Port 53 only towards kube-dns in kube-system.
        foreach (var (policy, rule) in rules.Where(r => r.Rule.GetProperty("ports").EnumerateArray().Any(p => Port(p).EndsWith("/53", StringComparison.Ordinal))))
        {
            var to = Assert.Single(rule.GetProperty("to").EnumerateArray());
            Assert.Equal("kube-system", to.GetProperty("namespaceSelector").GetProperty("matchLabels").GetProperty("kubernetes.io/metadata.name").GetString());
            Assert.Equal("kube-dns", to.GetProperty("podSelector").GetProperty("matchLabels").GetProperty("k8s-app").GetString());
        }
    }

    [Fact]
    public void Ingress_is_open_only_to_the_webhook_port_on_webhook_pods_and_to_the_metrics_port()
    {
        var rules = RulesOf("ingress").ToList();
        Assert.All(rules, r => Assert.True(r.Rule.TryGetProperty("ports", out _), $"{r.Policy}: an ingress rule without ports opens every port"));
        var byPort = rules.SelectMany(r => r.Rule.GetProperty("ports").EnumerateArray().Select(p => (Port: Port(p), r.Policy))).ToList();
        Assert.Equal(new[] { "TCP/8080", "TCP/8443" }, byPort.Select(p => p.Port).Distinct().Order(StringComparer.Ordinal));
        Assert.All(byPort.Where(p => p.Port == "TCP/8443"), p => Assert.Equal("webhook",
            p.Policy.Object.GetProperty("spec").GetProperty("podSelector").GetProperty("matchLabels").GetProperty("app.kubernetes.io/component").GetString()));
    }
}
