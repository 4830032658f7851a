namespace SecurityOperator.Tests.Kube.ApiServer.Http;

/// <summary>Bearer-token authentication and a two-level authorization model: the admin token (system:masters, may do
/// everything), extra tokens for users without RBAC (authenticated, but forbidden everything except discovery), no
/// token = system:anonymous (also forbidden), an unknown token = 401 (errors-403).</summary>
internal sealed class Authenticator(string adminToken)
{
    private readonly Dictionary<string, string> _unprivileged = [];

    public void AddUnprivilegedUser(string token, string username)
    {
        lock (_unprivileged) _unprivileged[token] = username;
    }

    /// <summary>Null when the credentials are bad (401); otherwise the user and whether RBAC allows resource access.</summary>
    public (string User, bool Authorized)? Authenticate(string? authorizationHeader)
    {
        if (string.IsNullOrEmpty(authorizationHeader)) return ("system:anonymous", false);
        if (!authorizationHeader.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = authorizationHeader["Bearer ".Length..].Trim();
        if (token == adminToken) return ("admin-token", true);
        lock (_unprivileged) return _unprivileged.TryGetValue(token, out var user) ? (user, false) : null;
    }
}
