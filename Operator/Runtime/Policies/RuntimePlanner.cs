using System.Text;
using SecurityOperator.Kube.Models;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Runtime.Attribution;
using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Policies;

/// <summary>Computes the <see cref="RuntimePlan"/>: for each pod of this node, the policies whose targets select it
/// (scope and namespaceSelector, podSelector, exclude.namespaces and exclude.serviceAccounts, as for admission), and for
/// each of its running containers (by cgroup) the entries of their runtime rules. Where rules of several policies meet
/// on one entry, the stronger action wins (enforce over alert over allow).</summary>
public sealed class RuntimePlanner(RuntimeRuleTable table, Func<ContainerCgroup, string, ExecKey?>? resolve = null)
{
    private readonly Func<ContainerCgroup, string, ExecKey?> _resolve = resolve ?? ResolveInContainer;

    public RuntimePlan Plan(PolicySnapshot policies, IReadOnlyList<Pod> pods, Func<string, IReadOnlyDictionary<string, string>?> namespaceLabels,
        IReadOnlyList<ContainerCgroup> cgroups)
    {
        var plan = new RuntimePlan();
        var withRuntime = policies.Catalog.Policies.Where(p => p.RuntimeRules.Count > 0).ToList();
        if (withRuntime.Count == 0) return plan;
        foreach (var policy in withRuntime)
            foreach (var rule in policy.RuntimeRules)
            {
                var key = KeyOf(policy);
                var number = table.NumberOf(key, rule.Name);
                plan.Bindings[number] = new RuntimeRuleBinding(number, key, policy, rule);
            }
        var byContainerId = cgroups.GroupBy(c => c.Container.ContainerId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            var ns = pod.Metadata.Namespace ?? "";
            var selected = withRuntime.Where(p => Targets(p, pod, ns, namespaceLabels(ns))).ToList();
            if (selected.Count == 0) continue;
            foreach (var containerId in ContainerIds(pod))
            {
                if (!byContainerId.TryGetValue(containerId, out var containers)) continue; // not started yet, or gone
                foreach (var container in containers)
                    foreach (var policy in selected)
                        foreach (var rule in policy.RuntimeRules)
                            Add(plan, container, new RuntimeRuleBinding(table.NumberOf(KeyOf(policy), rule.Name), KeyOf(policy), policy, rule));
            }
        }
        return plan;
    }

    public static PolicyKey KeyOf(CompiledPolicy policy) =>
        policy.Scope == PolicyScope.Cluster ? PolicyKey.Cluster(policy.Name) : PolicyKey.Namespaced(policy.Namespace ?? "", policy.Name);

    /// <summary>Whether the policy's targets and exclusions select the pod.</summary>
    public static bool Targets(CompiledPolicy policy, Pod pod, string ns, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        if (!policy.AppliesToNamespace(ns, namespaceLabels)) return false;
        if (policy.PodSelector is { } selector && !selector.Matches(pod.Metadata.Labels)) return false;
        var serviceAccount = Encoding.UTF8.GetBytes(pod.Spec?.ServiceAccountName ?? "");
        return !policy.Exclude.ExcludesServiceAccount(serviceAccount, ns);
    }

    private static IEnumerable<string> ContainerIds(Pod pod)
    {
        var status = pod.Status;
        foreach (var list in new[] { status?.ContainerStatuses, status?.InitContainerStatuses, status?.EphemeralContainerStatuses })
            foreach (var container in list ?? [])
                if (PodDirectory.StripRuntime(container.ContainerId) is { } id) yield return id;
    }

    private void Add(RuntimePlan plan, ContainerCgroup container, RuntimeRuleBinding binding)
    {
        var rule = binding.Rule;
        switch (rule.Kind)
        {
            case RuntimeRuleKind.Executables:
            {
                var action = rule.Has(RuntimeResponse.Kill) && binding.Enforcing ? RuleAction.Enforce : RuleAction.Alert;
                foreach (var path in rule.Executables)
                {
                    ExecKey? identity;
                    try
                    {
                        identity = _resolve(container, path);
                    }
                    catch (IOException e)
                    {
                        plan.Problems.Add($"{binding.Compiled.DisplayName} runtime rule {rule.Name}: {path} in container {Short(container)}: {e.Message}");
                        continue;
                    }
                    if (identity is not { } id) continue; // no such file in this container: nothing to deny
                    var entry = new ExecEntry(container.Id, id.Inode, id.Device);
                    if (!plan.Execs.TryGetValue(entry, out var existing) || Rank(action) > Rank(existing.Action))
                        plan.Execs[entry] = new ExecRule { Rule = binding.Number, Action = action };
                }
                break;
            }
            case RuntimeRuleKind.Connect:
            {
                var action = rule.Has(RuntimeResponse.Block) && binding.Enforcing ? RuleAction.Enforce : RuleAction.Alert;
                foreach (var d in rule.DeniedDestinations) AddDestination(plan, container.Id, d, binding.Number, action);
                if (rule.AllowedDestinations is { } allowed)
                {
                    foreach (var d in allowed) AddDestination(plan, container.Id, d, binding.Number, RuleAction.Allow);
                    if (!plan.ConnectModes.TryGetValue(container.Id, out var mode) || Rank(action) > Rank(mode.Action))
                        plan.ConnectModes[container.Id] = new ConnectMode { Rule = binding.Number, Action = action };
                }
                break;
            }
            case RuntimeRuleKind.SensitivePaths:
            {
                var added = rule.SensitivePaths.Select(p => new SensitivePath(binding.Number, Encoding.UTF8.GetBytes(p)));
                plan.SensitivePaths[container.Id] = plan.SensitivePaths.TryGetValue(container.Id, out var existing) ? [.. existing, .. added] : [.. added];
                break;
            }
        }
    }

    private static void AddDestination(RuntimePlan plan, ulong cgroupId, RuntimeDestination d, uint number, RuleAction action)
    {
        var entry = new DestinationEntry(cgroupId, d.Port, d.Address, d.PrefixBits);
        if (!plan.Destinations.TryGetValue(entry, out var existing) || Rank(action) > Rank(existing.Action))
            plan.Destinations[entry] = new DestinationRule { Rule = number, Action = action };
    }

    private static int Rank(RuleAction action) => action switch { RuleAction.Enforce => 3, RuleAction.Alert => 2, _ => 1 };

    private static string Short(ContainerCgroup c) => c.Container.ContainerId[..Math.Min(12, c.Container.ContainerId.Length)];

    /// <summary>Resolves through a process of the container (the first in its cgroup.procs): its root is the container's
    /// filesystem. A container with no process yet is skipped until the next pass.</summary>
    private static ExecKey? ResolveInContainer(ContainerCgroup container, string path)
    {
        var pid = ContainerProcesses.First(container.Directory)
                  ?? throw new IOException("no process in its cgroup yet");
        return ContainerFiles.Identity(pid, path);
    }
}
