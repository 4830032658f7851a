using SecurityOperator.Runtime.Attribution;

namespace SecurityOperator.Runtime.Policies;

/// <summary>A runtime rule matched in a container of a known pod. <see cref="Outcome"/> says what happened ("killed
/// exec of /usr/bin/curl", "blocked connect to 10.0.0.1:443"): stable per rule and argument (no pid), so repeats of
/// the same thing are one Event with a growing series count.</summary>
public sealed record RuntimeHit(RuntimeRuleBinding Binding, PodContainer Pod, string Outcome);
