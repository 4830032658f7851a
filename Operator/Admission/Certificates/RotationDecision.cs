namespace SecurityOperator.Admission.Certificates;

/// <summary>The one step a reconcile takes.</summary>
public enum RotationAction
{
    /// <summary>Nothing to change.</summary>
    None,
    /// <summary>Nothing usable is stored: a new CA and serving certificate, the bundle is the new CA alone.</summary>
    Bootstrap,
    /// <summary>A new CA is added to the bundle (old + new); the serving certificate stays as it is.</summary>
    AddAuthority,
    /// <summary>A new serving certificate from the newest CA (the one whose key is stored).</summary>
    IssueServing,
    /// <summary>Every CA but the newest leaves the bundle.</summary>
    DropPreviousAuthorities,
}

/// <param name="NextCheckAt">When the next time-driven step becomes due, or null when only a change of state can
/// lead to one (the caller re-checks on its resync period anyway).</param>
public sealed record RotationDecision(RotationAction Action, string Reason, DateTimeOffset? NextCheckAt);
