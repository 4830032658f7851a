using SecurityOperator.Kube;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>One kind the double serves, with the per-kind storage rules of kube-apiserver v1.28 that change what a client
/// sees. The flags default to the generic registry behaviour; the catalog sets them per kind from the transcripts.</summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Singular, string Kind, bool Namespaced)
{
    /// <summary>Has a /status subresource: create drops status, main-resource PUT/PATCH keep the stored status (crd-02, crd-03).</summary>
    public bool HasStatusSubresource { get; init; }

    /// <summary>A custom resource: served as unstructured JSON with alphabetical keys, list items keep kind/apiVersion,
    /// strategic merge patch is 415, PUT needs a resourceVersion (crd-02, crd-03).</summary>
    public bool IsCustom { get; init; }

    /// <summary>metadata.generation starts at 1 and bumps on spec changes (CRs, workloads, NetworkPolicy; not pods).</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>DELETE answers the object instead of a Status (pods, namespaces: pods-10; others answer a Status: crd-02, coord-01).</summary>
    public bool ReturnsObjectOnDelete { get; init; }

    /// <summary>PUT on a missing object creates it (leases and core events in v1.28); otherwise 404.</summary>
    public bool AllowCreateOnUpdate { get; init; }

    /// <summary>PUT without metadata.resourceVersion is accepted (pods-09); custom resources require it.</summary>
    public bool AllowUnconditionalUpdate { get; init; } = true;

    /// <summary>Extra subresources listed in discovery besides status (e.g. "eviction" for pods).</summary>
    public IReadOnlyList<string> ExtraSubresources { get; init; } = [];

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Namespaces have no deletecollection verb (discovery-04).</summary>
    public bool SupportsDeleteCollection { get; init; } = true;

    /// <summary>The API group of the internal type, used by 422 Invalid errors: events.k8s.io Events are core Events
    /// inside the server, so their 422 carries no group (events-01 REQUEST 2/3).</summary>
    public string? InternalGroup { get; init; }

    /// <summary>Fields a fieldSelector may name for this kind besides metadata.name/metadata.namespace (pods-04, events-01).</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
    public string GroupVersion => ApiVersion;
    public string ListKind => Kind + "List";

    /// <summary>"pods" for the core group, "leases.coordination.k8s.io" otherwise: the form Status messages use (coord-01).</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>"Pod" or "Lease.coordination.k8s.io": the form 422 Invalid messages use (coord-01).</summary>
    public string QualifiedKind => (InternalGroup ?? Group) is { Length: > 0 } g ? $"{Kind}.{g}" : Kind;

    /// <summary>A type for a product <see cref="KubeResource"/>, with the generic flags (CR-style when the group is not a
    /// built-in one, which is how the operator's own CRDs and PolicyReports are served).</summary>
    public static ResourceType From(KubeResource resource, bool statusSubresource = false, bool isCustom = true) =>
        new(resource.Group, resource.Version, resource.Plural, resource.Kind.ToLowerInvariant(), resource.Kind, resource.Namespaced)
        {
            HasStatusSubresource = statusSubresource,
            IsCustom = isCustom,
            TracksGeneration = isCustom,
            AllowUnconditionalUpdate = !isCustom,
        };
}
