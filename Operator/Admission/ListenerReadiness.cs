using SecurityOperator.Hosting;

namespace SecurityOperator.Admission;

/// <summary>The webhook's readiness line for its HTTPS listener. /readyz is served by the metrics port, which starts
/// before the role; a pod that said ready before its admission listener was bound would be sent the API server's
/// calls and refuse them (with failurePolicy Fail, refusing the user's request too). So the role registers this line
/// before anything else and marks it once the listener is bound.</summary>
public sealed class ListenerReadiness
{
    public const string CheckName = "admission listener bound";

    private volatile bool _bound;

    private ListenerReadiness()
    {
    }

    public static ListenerReadiness Register(HealthState health)
    {
        var readiness = new ListenerReadiness();
        health.AddReadinessCheck(CheckName, () => readiness._bound);
        return readiness;
    }

    public void MarkBound() => _bound = true;
}
