using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Hosting.Roles;

/// <summary>Maps --role to its implementation. The command line accepts only the names in <see cref="Flags.AllRoles"/>,
/// and every one of them is implemented here (a test keeps the two lists equal).</summary>
public static class RoleCatalog
{
    private static readonly Dictionary<string, Func<IRole>> Implemented = new(StringComparer.Ordinal)
    {
        [Flags.Audit] = () => new Audit.AuditRole(),
        [Flags.Webhook] = () => new Admission.WebhookRole(),
        [Flags.Controller] = () => new Controllers.ControllerRole(),
        [Flags.Node] = () => new Runtime.NodeRole(),
    };

    public static IReadOnlyCollection<string> Roles => Implemented.Keys;

    public static IRole Create(string role) =>
        Implemented.TryGetValue(role, out var create) ? create() : throw new ArgumentException($"unknown role '{role}'", nameof(role));
}
