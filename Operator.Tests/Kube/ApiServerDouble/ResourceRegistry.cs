namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>The kinds being served, in registration order (discovery lists groups in that order). Thread-safe: tests
/// may register a kind while requests run, like a CRD becoming Established (crd-01).</summary>
internal sealed class ResourceRegistry
{
    private readonly object _gate = new();
    private readonly List<ResourceType> _types = [];

    public void Register(ResourceType type)
    {
        lock (_gate)
        {
            if (_types.Any(t => t.Group == type.Group && t.Version == type.Version && t.Plural == type.Plural))
                throw new InvalidOperationException($"{type.Plural}.{type.Group}/{type.Version} is already registered");
            _types.Add(type);
        }
    }

    public IReadOnlyList<ResourceType> All
    {
        get { lock (_gate) return [.. _types]; }
    }

    public bool Serves(string group, string version)
    {
        lock (_gate) return _types.Any(t => t.Group == group && t.Version == version);
    }

    public ResourceType? Find(string group, string version, string plural)
    {
        lock (_gate) return _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
    }

    /// <summary>By kind (for Seed/Get helpers that take an object's apiVersion and kind).</summary>
    public ResourceType? FindByKind(string apiVersion, string kind)
    {
        lock (_gate) return _types.FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);
    }
}
