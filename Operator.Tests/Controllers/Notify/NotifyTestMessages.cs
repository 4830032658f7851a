using SecurityOperator.Controllers.Notify;

namespace SecurityOperator.Tests.Controllers.Notify;

internal static class NotifyTestMessages
{
    public static NotifyMessage Message(string id = "m1") => new()
    {
        Id = id,
        Timestamp = "2026-01-02T03:04:05Z",
        Cluster = "prod-eu",
        Controller = new NotifyController("security.io/security-operator", "controller-0"),
        Policy = new NotifyPolicy("SecurityPolicy", "shop", "baseline"),
        Rule = "no-privileged",
        Severity = "high",
        Action = "deny",
        EnforcementMode = "enforce",
        Channels = ["security-team"],
        Object = new NotifyObject("v1", "Pod", "shop", "cart-1", "uid-1"),
        Container = "app",
        Field = "spec.containers[0].securityContext.privileged",
        Condition = "privilegedContainer",
        Message = "container app is privileged",
    };

    /// <summary>Settings for tests: retries without waiting (the backoff itself is tested on its own).</summary>
    public static NotifySettings Settings(Uri url, string? tokenFile = null, int retries = 3, TimeSpan? timeout = null) => new()
    {
        Url = url,
        TokenFile = tokenFile,
        Retries = retries,
        Timeout = timeout ?? TimeSpan.FromSeconds(20),
        InitialBackoff = TimeSpan.FromMilliseconds(1),
        MaxBackoff = TimeSpan.FromMilliseconds(5),
    };
}
