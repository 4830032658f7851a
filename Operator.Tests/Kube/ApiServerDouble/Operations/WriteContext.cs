namespace SecurityOperator.Tests.Kube.ApiServer.Operations;

/// <summary>Per-request write options: who writes (the field manager), dryRun=All, and whether the namespace must exist.</summary>
/// <summary>KeepIdentity: a seeded object keeps the uid and creationTimestamp it carries (deterministic tests).</summary>
public sealed record WriteContext(string FieldManager, bool DryRun = false, bool SkipNamespaceCheck = false, bool KeepIdentity = false)
{
    /// <summary>The default field manager is the User-Agent prefix before '/' (INDEX.md: "transcript-recorder").</summary>
    public static string ManagerFrom(string? fieldManagerQuery, string? userAgent)
    {
        if (!string.IsNullOrEmpty(fieldManagerQuery)) return fieldManagerQuery;
        if (string.IsNullOrEmpty(userAgent)) return "unknown";
        var slash = userAgent.IndexOf('/');
        return slash > 0 ? userAgent[..slash] : userAgent;
    }
}

/// <summary>The outcome of a write: the body to send, the HTTP code, and the stored version when something was committed.</summary>
public sealed record WriteResult(int Code, byte[] Body, StoredObjectView? Object);
