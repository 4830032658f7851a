namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>One request as the double received it, for assertions (path without query; query without '?').</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string? UserAgent)
{
    public override string ToString() => $"{Method} {Path}{(Query.Length > 0 ? "?" + Query : "")}";
}
