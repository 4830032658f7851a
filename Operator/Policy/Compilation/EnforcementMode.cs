namespace SecurityOperator.Policy.Compilation;

/// <summary>enforce: deny actions reject the request; warn: violations become admission warnings; dryrun: violations
/// are only recorded (audit annotations). Default enforce, the design's default for a policy that says nothing.</summary>
public enum EnforcementMode { Enforce, Warn, DryRun }
