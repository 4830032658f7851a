using System.Collections.Concurrent;
using SecurityOperator.Policy.Cluster;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Runtime.Policies;

/// <summary>A runtime rule of a policy in force, under the number the kernel maps carry for it.</summary>
public sealed record RuntimeRuleBinding(uint Number, PolicyKey Policy, CompiledPolicy Compiled, CompiledRuntimeRule Rule)
{
    /// <summary>Kill, block and quarantine act only for policies in enforce mode; warn and dryrun ones only report.</summary>
    public bool Enforcing => Compiled.Mode == EnforcementMode.Enforce;
}

/// <summary>Numbers for (policy, runtime rule), echoed by the kernel in kill/block/match events. Policy rules start at
/// <see cref="FirstNumber"/> so they never meet the --node-deny-* flags' numbers (their list positions, from 1). A
/// number is never reused for another rule, so an event still in the ring buffer after a policy change is never
/// attributed to the wrong rule. Written by the reconciler, read by the event thread.</summary>
public sealed class RuntimeRuleTable
{
    public const uint FirstNumber = 0x10000;

    private readonly ConcurrentDictionary<(PolicyKey, string), uint> _numbers = new();
    private volatile Dictionary<uint, RuntimeRuleBinding> _bindings = new();
    private uint _next = FirstNumber;

    public static bool IsPolicyRule(uint number) => number >= FirstNumber;

    public uint NumberOf(PolicyKey policy, string rule) =>
        _numbers.GetOrAdd((policy, rule), _ => Interlocked.Increment(ref _next) - 1);

    /// <summary>Replaces the bindings in force (the rules of the current policy snapshot).</summary>
    public void Publish(Dictionary<uint, RuntimeRuleBinding> bindings) => _bindings = bindings;

    public RuntimeRuleBinding? Find(uint number) => _bindings.GetValueOrDefault(number);
}
