namespace SecurityOperator.Kube.Watch;

/// <summary>Exponential backoff parameters in the shape of apimachinery's wait.Backoff plus the reset window of
/// wait.NewExponentialBackoffManager.</summary>
/// <param name="Initial">First wait before jitter.</param>
/// <param name="Max">Cap applied to the un-jittered wait (so the real wait stays below Max x (1 + Jitter)).</param>
/// <param name="Factor">Growth per consecutive failure.</param>
/// <param name="Jitter">Each wait is d + rand[0,1) x Jitter x d (apimachinery wait.Jitter); 1.0 spreads it over [d, 2d).</param>
/// <param name="ResetAfter">When no backoff happened for this long, the next one starts again from Initial.</param>
public sealed record BackoffPolicy(TimeSpan Initial, TimeSpan Max, double Factor, double Jitter, TimeSpan ResetAfter)
{
    /// <summary>k8s.io/client-go/tools/cache/reflector.go, NewReflectorWithOptions: wait.NewExponentialBackoffManager(800*time.Millisecond, 30*time.Second,
    /// 2*time.Minute, 2.0, 1.0): "backoff will stop at [30,60) sec interval ... If we don't backoff for 2min, assume API
    /// server is healthy and we reset the backoff."</summary>
    public static BackoffPolicy ClientGoReflector { get; } =
        new(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30), 2.0, 1.0, TimeSpan.FromMinutes(2));
}
