using System.Security.Cryptography.X509Certificates;

namespace SecurityOperator.Kube.Config;

/// <summary>What the client presents: a bearer token and/or a client certificate (an exec plugin may return either).</summary>
public sealed record KubeCredential(string? BearerToken, X509Certificate2? ClientCertificate);

/// <summary>A credential that can change while the process runs (token file rotation, exec plugin expiry).
/// The client asks before every request; implementations cache so that asking is cheap.</summary>
public interface ICredentialSource
{
    ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken);

    /// <summary>Called after a 401. Drops any cached credential; returns true when asking again may give a different
    /// one (so one retry is worth it), false for static credentials.</summary>
    bool Invalidate();
}
