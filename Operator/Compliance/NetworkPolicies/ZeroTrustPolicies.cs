using System.Text.Json;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.NetworkPolicies;

/// <summary>What a namespace labelled <c>security.io/zero-trust</c> should contain: <c>enforce</c> gets a default-deny
/// policy (ingress and egress, every pod) plus an egress allowance to kube-dns (UDP and TCP 53) so names still
/// resolve; <c>audit</c> computes the same objects but nothing is applied; any other value or no label: nothing.</summary>
public static class ZeroTrustPolicies
{
    public const string Label = "security.io/zero-trust";
    public const string Purpose = "zero-trust";
    public const string DefaultDenyName = "security-operator-default-deny", DnsName = "security-operator-allow-dns";

    public enum Mode { Off, Audit, Enforce }

    public static Mode ModeOf(Namespace ns) => ns.Metadata.Labels?.GetValueOrDefault(Label) switch
    {
        "enforce" => Mode.Enforce,
        "audit" => Mode.Audit,
        _ => Mode.Off,
    };

    public static IReadOnlyList<NetworkPolicy> Desired(string ns) =>
    [
        ManagedNetworkPolicy.Create(ns, DefaultDenyName, Purpose, new NetworkPolicySpec
        {
            PodSelector = new LabelSelector(),
            PolicyTypes = ["Ingress", "Egress"],
        }),
        // kube-dns is the label CoreDNS keeps for compatibility in kubeadm, kOps, EKS, GKE and AKS clusters.
        ManagedNetworkPolicy.Create(ns, DnsName, Purpose, new NetworkPolicySpec
        {
            PodSelector = new LabelSelector(),
            PolicyTypes = ["Egress"],
            Egress =
            [
                new NetworkPolicyEgressRule
                {
                    To =
                    [
                        new NetworkPolicyPeer
                        {
                            NamespaceSelector = new LabelSelector { MatchLabels = new() { ["kubernetes.io/metadata.name"] = "kube-system" } },
                            PodSelector = new LabelSelector { MatchLabels = new() { ["k8s-app"] = "kube-dns" } },
                        },
                    ],
                    Ports =
                    [
                        new NetworkPolicyPort { Protocol = "UDP", Port = JsonSerializer.SerializeToElement(53, KubeJsonContext.Default.Int32) },
                        new NetworkPolicyPort { Protocol = "TCP", Port = JsonSerializer.SerializeToElement(53, KubeJsonContext.Default.Int32) },
                    ],
                },
            ],
        }),
    ];
}
