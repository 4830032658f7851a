using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Kube.Access;

namespace SecurityOperator.Hosting.Roles;

/// <summary>Which API calls each role makes: the single registry the RBAC manifests are tested against. A role that
/// never talks to the API server (audit) has an empty list. Each entry points at the role's own declaration, which
/// lives next to the code that makes the calls.</summary>
public static class RoleApiAccess
{
    private static readonly Dictionary<string, IReadOnlyList<ApiAccess>> ByRole = new(StringComparer.Ordinal)
    {
        [Flags.Audit] = [],
        [Flags.Webhook] = Admission.WebhookApiAccess.Calls,
        [Flags.Controller] = Controllers.ControllerApiAccess.Calls,
        [Flags.Node] = Runtime.NodeApiAccess.Calls,
    };

    public static IReadOnlyCollection<string> Roles => ByRole.Keys;

    public static IReadOnlyList<ApiAccess> For(string role) =>
        ByRole.TryGetValue(role, out var calls) ? calls : throw new ArgumentException($"unknown role '{role}'", nameof(role));
}
