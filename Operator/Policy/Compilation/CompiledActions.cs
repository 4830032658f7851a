namespace SecurityOperator.Policy.Compilation;

/// <summary>Requests/limits to add where a container declares none (values already validated as quantities).</summary>
public sealed record SetDefaultsMutation(IReadOnlyList<KeyValuePair<string, string>> Limits, IReadOnlyList<KeyValuePair<string, string>> Requests);

/// <summary>Notify action: where the controller sends the violation.</summary>
public sealed record NotifyAction(IReadOnlyList<string> Channels);

/// <summary>Quarantine action: isolate the workload for a duration (null: until cleared).</summary>
public sealed record QuarantineAction(TimeSpan? Duration);

/// <summary>The actions of a rule. Deny rejects (in enforce mode), Alert records an alert; SetDefaults and Harden are
/// mutations; Notify and Quarantine are carried for the controller.</summary>
public sealed record RuleActions(bool Deny, bool Alert, SetDefaultsMutation? SetDefaults, bool Harden, NotifyAction? Notify, QuarantineAction? Quarantine)
{
    public bool Mutates => SetDefaults is not null || Harden;
}

/// <summary>spec.remediation: carried for the controller.</summary>
public sealed record CompiledRemediation(bool Automatic, NotifyAction? Notify, QuarantineAction? Quarantine)
{
    public static readonly CompiledRemediation None = new(false, null, null);
}
