using SecurityOperator.Kube.Selectors;

namespace SecurityOperator.Policy.Compilation;

public enum PolicyScope { Namespaced, Cluster }

/// <summary>An immutable, validated policy. Shared freely across threads.</summary>
public sealed class CompiledPolicy
{
    internal CompiledPolicy(string name, string? ns, PolicyScope scope, long? generation, EnforcementMode mode,
        CompiledLabelSelector? namespaceSelector, CompiledLabelSelector? podSelector, CompiledExclusions exclude,
        IReadOnlyList<CompiledRule> rules, CompiledRemediation remediation, IReadOnlyList<CompiledRuntimeRule>? runtimeRules = null)
    {
        RuntimeRules = runtimeRules ?? [];
        Name = name;
        Namespace = ns;
        Scope = scope;
        Generation = generation;
        Mode = mode;
        NamespaceSelector = namespaceSelector;
        PodSelector = podSelector;
        Exclude = exclude;
        Rules = rules;
        RuleArray = rules.ToArray();
        Remediation = remediation;
    }

    public string Name { get; }
    /// <summary>The namespace of a SecurityPolicy; null for a ClusterSecurityPolicy.</summary>
    public string? Namespace { get; }
    public PolicyScope Scope { get; }
    public long? Generation { get; }
    public EnforcementMode Mode { get; }
    /// <summary>Null: every namespace (of its scope).</summary>
    public CompiledLabelSelector? NamespaceSelector { get; }
    /// <summary>Null: every pod.</summary>
    public CompiledLabelSelector? PodSelector { get; }
    public CompiledExclusions Exclude { get; }
    public IReadOnlyList<CompiledRule> Rules { get; }
    internal CompiledRule[] RuleArray { get; }
    public CompiledRemediation Remediation { get; }
    /// <summary>spec.runtime.rules, for the node agent; empty when the policy has none.</summary>
    public IReadOnlyList<CompiledRuntimeRule> RuntimeRules { get; }

    /// <summary>"SecurityPolicy ns/name" or "ClusterSecurityPolicy name", for messages.</summary>
    public string DisplayName => Scope == PolicyScope.Cluster ? $"ClusterSecurityPolicy {Name}" : $"SecurityPolicy {Namespace}/{Name}";

    /// <summary>Whether this policy applies to objects of namespace <paramref name="ns"/> with labels <paramref name="namespaceLabels"/>.</summary>
    public bool AppliesToNamespace(string? ns, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        if (Scope == PolicyScope.Namespaced && !string.Equals(Namespace, ns, StringComparison.Ordinal)) return false;
        if (Exclude.ExcludesNamespace(ns)) return false;
        return NamespaceSelector is null || NamespaceSelector.Matches(namespaceLabels);
    }
}
