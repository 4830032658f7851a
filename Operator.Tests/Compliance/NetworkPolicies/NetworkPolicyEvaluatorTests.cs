using System.Net;
using System.Text.Json;
using SecurityOperator.Compliance.NetworkPolicies;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Tests.Compliance.NetworkPolicies;

/// <summary>Hand-written NetworkPolicy cases, each stating the Kubernetes rule it exercises.</summary>
public class NetworkPolicyEvaluatorTests
{
    internal static NetworkPolicy Policy(string ns, string name, string specJson) =>
        JsonSerializer.Deserialize($$"""{"metadata":{"name":"{{name}}","namespace":"{{ns}}"},"spec":{{specJson}}}""", KubeJsonContext.Default.NetworkPolicy)!;

    private static readonly Dictionary<string, IReadOnlyDictionary<string, string>> Namespaces = new()
    {
        ["shop"] = new Dictionary<string, string> { ["team"] = "shop" },
        ["monitoring"] = new Dictionary<string, string> { ["team"] = "ops" },
        ["other"] = new Dictionary<string, string> { ["team"] = "shop" },
    };

    private static readonly TrafficEndpoint Web = TrafficEndpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "web" }, IPAddress.Parse("10.1.0.10"));
    private static readonly TrafficEndpoint Db = TrafficEndpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "db" }, IPAddress.Parse("10.1.0.20"),
        [new NamedPort("postgres", 5432)]);
    private static readonly TrafficEndpoint Prometheus = TrafficEndpoint.Pod("monitoring", new Dictionary<string, string> { ["app"] = "prometheus" }, IPAddress.Parse("10.2.0.5"));
    private static readonly TrafficEndpoint OtherWeb = TrafficEndpoint.Pod("other", new Dictionary<string, string> { ["app"] = "web" }, IPAddress.Parse("10.3.0.5"));

    private static NetworkPolicyEvaluator Evaluator(params NetworkPolicy[] policies) => new(policies, Namespaces);

    [Fact]
    public void Without_policies_everything_passes()
    {
        var decision = Evaluator().Evaluate(Web, Db, 5432);
        Assert.True(decision.Allowed);
        Assert.False(decision.DestinationIsolated);
    }

    [Fact]
    public void An_empty_pod_selector_with_no_rules_denies_all_ingress_but_leaves_egress_alone()
    {
        var evaluator = Evaluator(Policy("shop", "deny", """{"podSelector":{}}"""));
        var decision = evaluator.Evaluate(Prometheus, Db, 5432);
        Assert.False(decision.Allowed);
        Assert.True(decision.EgressAllowed);
        Assert.True(evaluator.Evaluate(Db, Prometheus, 9090).Allowed);   // policyTypes defaulted to [Ingress]
    }

    [Fact]
    public void Policy_types_default_to_ingress_plus_egress_when_egress_rules_exist()
    {
        var evaluator = Evaluator(Policy("shop", "egress-dns", """{"podSelector":{},"egress":[{"ports":[{"protocol":"UDP","port":53}]}]}"""));
        Assert.False(evaluator.Evaluate(Web, Prometheus, 9090).EgressAllowed);
        Assert.True(evaluator.Evaluate(Web, TrafficEndpoint.External(IPAddress.Parse("8.8.8.8")), 53, "UDP").Allowed);
        Assert.False(evaluator.Evaluate(Prometheus, Web, 80).Allowed);   // and ingress is isolated with no rules
    }

    [Fact]
    public void Pod_selector_alone_means_the_policys_own_namespace()
    {
        var evaluator = Evaluator(Policy("shop", "db", """{"podSelector":{"matchLabels":{"app":"db"}},"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"web"}}}]}]}"""));
        Assert.True(evaluator.Evaluate(Web, Db, 5432).Allowed);
        Assert.False(evaluator.Evaluate(OtherWeb, Db, 5432).Allowed);
        Assert.Equal(["shop/db"], evaluator.Evaluate(Web, Db, 5432).IngressAllowedBy);
    }

    [Fact]
    public void Namespace_and_pod_selector_in_one_peer_is_an_and_in_separate_peers_an_or()
    {
        var combined = Evaluator(Policy("shop", "db", """{"podSelector":{"matchLabels":{"app":"db"}},"ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"team":"ops"}},"podSelector":{"matchLabels":{"app":"prometheus"}}}]}]}"""));
        Assert.True(combined.Evaluate(Prometheus, Db, 5432).Allowed);
        Assert.False(combined.Evaluate(Web, Db, 5432).Allowed);   // right pod labels? no; right namespace? no

        var separate = Evaluator(Policy("shop", "db", """{"podSelector":{"matchLabels":{"app":"db"}},"ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"team":"ops"}}},{"podSelector":{"matchLabels":{"app":"web"}}}]}]}"""));
        Assert.True(separate.Evaluate(Prometheus, Db, 5432).Allowed);
        Assert.True(separate.Evaluate(Web, Db, 5432).Allowed);
        Assert.False(separate.Evaluate(OtherWeb, Db, 5432).Allowed);   // web, but in another namespace

        var byName = Evaluator(Policy("shop", "db", """{"podSelector":{},"ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"other"}}}]}]}"""));
        Assert.True(byName.Evaluate(OtherWeb, Db, 5432).Allowed);
        Assert.False(byName.Evaluate(Prometheus, Db, 5432).Allowed);
    }

    [Fact]
    public void An_empty_namespace_selector_means_every_namespace()
    {
        var evaluator = Evaluator(Policy("shop", "db", """{"podSelector":{},"ingress":[{"from":[{"namespaceSelector":{}}]}]}"""));
        Assert.True(evaluator.Evaluate(Prometheus, Db, 5432).Allowed);
        Assert.False(evaluator.Evaluate(TrafficEndpoint.External(IPAddress.Parse("1.2.3.4")), Db, 5432).Allowed);
    }

    [Fact]
    public void Ip_blocks_match_addresses_outside_their_exceptions()
    {
        var evaluator = Evaluator(Policy("shop", "egress", """{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Egress"],"egress":[{"to":[{"ipBlock":{"cidr":"203.0.113.0/24","except":["203.0.113.128/25"]}}],"ports":[{"port":443}]}]}"""));
        Assert.True(evaluator.Evaluate(Web, TrafficEndpoint.External(IPAddress.Parse("203.0.113.10")), 443).Allowed);
        Assert.False(evaluator.Evaluate(Web, TrafficEndpoint.External(IPAddress.Parse("203.0.113.200")), 443).Allowed);
        Assert.False(evaluator.Evaluate(Web, TrafficEndpoint.External(IPAddress.Parse("203.0.113.10")), 80).Allowed);
        Assert.False(evaluator.Evaluate(Web, TrafficEndpoint.External(IPAddress.Parse("2001:db8::1")), 443).Allowed);
    }

    [Fact]
    public void Named_ports_resolve_against_the_destination_pod_and_ranges_use_end_port()
    {
        var evaluator = Evaluator(Policy("shop", "db", """{"podSelector":{"matchLabels":{"app":"db"}},"ingress":[{"ports":[{"port":"postgres"},{"protocol":"UDP","port":30000,"endPort":30010}]}]}"""));
        Assert.True(evaluator.Evaluate(Web, Db, 5432).Allowed);
        Assert.False(evaluator.Evaluate(Web, Db, 5433).Allowed);
        Assert.False(evaluator.Evaluate(Web, Db, 5432, "UDP").Allowed);
        Assert.True(evaluator.Evaluate(Web, Db, 30005, "UDP").Allowed);
        Assert.False(evaluator.Evaluate(Web, Db, 30011, "UDP").Allowed);
    }

    [Fact]
    public void Policies_add_up_and_both_directions_must_allow()
    {
        var evaluator = Evaluator(
            Policy("shop", "deny-all", """{"podSelector":{},"policyTypes":["Ingress","Egress"]}"""),
            Policy("shop", "web-to-db", """{"podSelector":{"matchLabels":{"app":"web"}},"policyTypes":["Egress"],"egress":[{"to":[{"podSelector":{"matchLabels":{"app":"db"}}}],"ports":[{"port":5432}]}]}"""));
        var decision = evaluator.Evaluate(Web, Db, 5432);
        Assert.True(decision.EgressAllowed);
        Assert.False(decision.IngressAllowed);   // db's ingress is still denied by deny-all
        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Invalid_policies_are_refused_with_every_error_named()
    {
        var error = Assert.Throws<ArgumentException>(() => Evaluator(Policy("shop", "bad",
            """{"podSelector":{"matchExpressions":[{"key":"a","operator":"Near"}]},"ingress":[{"from":[{"ipBlock":{"cidr":"10.0.0.0/33"}}]}]}""")));
        Assert.Contains("NetworkPolicy shop/bad: spec.podSelector.matchExpressions[0].operator", error.Message);
        Assert.Contains("spec.ingress[0].from[0].ipBlock.cidr: \"10.0.0.0/33\" is not a CIDR", error.Message);
    }
}
