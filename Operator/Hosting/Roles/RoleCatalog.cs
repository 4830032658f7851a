using SecurityOperator.Hosting.CommandLine;

namespace SecurityOperator.Hosting.Roles;

/// <summary>Maps --role to its implementation. A role that this build does not implement is absent here and says so
/// at start (exit 3) rather than pretending to run.</summary>
public static class RoleCatalog
{
    public const int NotImplementedExitCode = 3;

    private static readonly Dictionary<string, Func<IRole>> Implemented = new(StringComparer.Ordinal)
    {
        [Flags.Audit] = () => new Audit.AuditRole(),
        [Flags.Webhook] = () => new Admission.WebhookRole(),
        [Flags.Controller] = () => new Controllers.ControllerRole(),
    };

    private static readonly Dictionary<string, string> Pending = new(StringComparer.Ordinal)
    {
        [Flags.Node] = "the eBPF node agent",
    };

    public static IRole? Create(string role) => Implemented.TryGetValue(role, out var create) ? create() : null;

    public static string NotImplementedMessage(string role) =>
        $"role '{role}' is not implemented in this build yet: {Pending.GetValueOrDefault(role, role)} is still to come (see README, Status)";
}
