using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.Remediation;

/// <summary>The deny-all NetworkPolicy of a namespace with quarantined pods: it selects every pod that carries the
/// quarantine label, whatever policy put it there, and allows no ingress and no egress (netpol-01: policyTypes both,
/// no rules).</summary>
public static class QuarantineNetworkPolicy
{
    public const string Name = "security-operator-quarantine";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedBy = "security-operator";

    public static NetworkPolicy For(string @namespace) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = Name, Namespace = @namespace,
            Labels = new Dictionary<string, string> { [ManagedByLabel] = ManagedBy },
        },
        Spec = new NetworkPolicySpec
        {
            PodSelector = new LabelSelector
            {
                MatchExpressions = [new LabelSelectorRequirement { Key = QuarantineMarks.Label, Operator = "Exists" }],
            },
            PolicyTypes = ["Ingress", "Egress"],
        },
    };
}
