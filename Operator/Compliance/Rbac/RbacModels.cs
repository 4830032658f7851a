using System.Text.Json;
using System.Text.Json.Serialization;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Compliance.Rbac;

/// <summary>rbac.authorization.k8s.io/v1 Role or ClusterRole: the rules the section 5 checks read.</summary>
public sealed class RbacRole : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("rules")] public List<PolicyRule>? Rules { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class PolicyRule
{
    [JsonPropertyName("apiGroups")] public List<string>? ApiGroups { get; set; }
    [JsonPropertyName("resources")] public List<string>? Resources { get; set; }
    [JsonPropertyName("verbs")] public List<string> Verbs { get; set; } = [];
    [JsonPropertyName("resourceNames")] public List<string>? ResourceNames { get; set; }
    [JsonPropertyName("nonResourceURLs")] public List<string>? NonResourceUrls { get; set; }
}

/// <summary>rbac.authorization.k8s.io/v1 RoleBinding or ClusterRoleBinding.</summary>
public sealed class RbacBinding : IKubeObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("roleRef")] public RoleRef RoleRef { get; set; } = new();
    [JsonPropertyName("subjects")] public List<RbacSubject>? Subjects { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class RoleRef
{
    [JsonPropertyName("apiGroup")] public string? ApiGroup { get; set; }
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
}

public sealed class RbacSubject
{
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("namespace")] public string? Namespace { get; set; }
    [JsonPropertyName("apiGroup")] public string? ApiGroup { get; set; }

    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
