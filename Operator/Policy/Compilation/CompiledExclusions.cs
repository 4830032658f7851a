using System.Text;

namespace SecurityOperator.Policy.Compilation;

/// <summary>spec.exclude: namespaces by name, service accounts as "name" (any namespace) or "namespace:name" /
/// "system:serviceaccount:namespace:name", users by exact username (admission only).</summary>
public sealed class CompiledExclusions
{
    public static readonly CompiledExclusions None = new([], [], []);

    // Parsed once: (namespace or null for any, service account name as UTF-8).
    private readonly (string? Namespace, byte[] Name)[] _serviceAccounts;

    public CompiledExclusions(IReadOnlyList<string> namespaces, IReadOnlyList<string> serviceAccounts, IReadOnlyList<string> users)
    {
        Namespaces = namespaces;
        ServiceAccounts = serviceAccounts;
        Users = users;
        _serviceAccounts = serviceAccounts.Select(Parse).ToArray();
    }

    public IReadOnlyList<string> Namespaces { get; }
    public IReadOnlyList<string> ServiceAccounts { get; }
    public IReadOnlyList<string> Users { get; }
    public bool IsEmpty => Namespaces.Count == 0 && ServiceAccounts.Count == 0 && Users.Count == 0;

    public bool ExcludesNamespace(string? ns)
    {
        if (ns is null) return false;
        foreach (var n in Namespaces) if (n == ns) return true;
        return false;
    }

    public bool ExcludesUser(string? user)
    {
        if (user is null) return false;
        foreach (var u in Users) if (u == user) return true;
        return false;
    }

    private static (string?, byte[]) Parse(string entry)
    {
        if (entry.StartsWith("system:serviceaccount:", StringComparison.Ordinal)) entry = entry[22..];
        var colon = entry.IndexOf(':');
        return colon < 0 ? (null, Encoding.UTF8.GetBytes(entry)) : (entry[..colon], Encoding.UTF8.GetBytes(entry[(colon + 1)..]));
    }

    /// <summary>The pod's service account ("default" when unset, as the API server defaults it) in namespace <paramref name="ns"/>.</summary>
    public bool ExcludesServiceAccount(ReadOnlySpan<byte> serviceAccount, string? ns)
    {
        if (_serviceAccounts.Length == 0) return false;
        if (serviceAccount.Length == 0) serviceAccount = "default"u8;
        foreach (var (entryNamespace, name) in _serviceAccounts)
            if ((entryNamespace is null || entryNamespace == ns) && serviceAccount.SequenceEqual(name)) return true;
        return false;
    }
}
