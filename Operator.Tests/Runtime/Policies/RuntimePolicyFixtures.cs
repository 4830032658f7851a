using System.Text;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Runtime.Policies;

namespace SecurityOperator.Tests.Runtime.Policies;

/// <summary>Policies, pods and snapshots for the runtime policy tests.</summary>
internal static class RuntimePolicyFixtures
{
    public static CompiledPolicy Compile(string json)
    {
        var compilation = PolicyCompiler.Compile(Encoding.UTF8.GetBytes(json));
        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Errors));
        return compilation.Policy!;
    }

    /// <summary>A SecurityPolicy of namespace <paramref name="ns"/> with the given runtime rules, targeting pods labelled app=<paramref name="app"/>.</summary>
    public static CompiledPolicy Namespaced(string ns, string name, string app, string runtimeRules, string mode = "enforce") => Compile(
        "{\"apiVersion\":\"security.io/v1\",\"kind\":\"SecurityPolicy\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\"}," +
        "\"spec\":{\"enforcementMode\":\"" + mode + "\",\"targets\":{\"podSelector\":{\"matchLabels\":{\"app\":\"" + app + "\"}}}," +
        "\"runtime\":{\"rules\":" + runtimeRules + "}}}");

    public static PolicySnapshot Snapshot(long version, params CompiledPolicy[] policies) =>
        new(version, policies.ToDictionary(RuntimePlanner.KeyOf, p => new PolicyEntry(RuntimePlanner.KeyOf(p), p.Name, 1, p, 1, [])));

    public static Pod PodOf(string ns, string name, string uid, string app, params string[] containerIds) => new()
    {
        Metadata = new ObjectMeta { Namespace = ns, Name = name, Uid = uid, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new PodSpec(),
        Status = new PodStatus
        {
            Phase = "Running",
            ContainerStatuses = containerIds.Select((id, i) => new ContainerStatus { Name = $"c{i}", ContainerId = "containerd://" + id }).ToList(),
        },
    };
}
