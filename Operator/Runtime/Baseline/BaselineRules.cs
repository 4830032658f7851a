using SecurityOperator.Runtime.Detection;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>The anomaly rules of the baseline, one per kind of deviation. The priority of an alert comes from its
/// score (<see cref="PriorityOf"/>), so the rules' own priority is only the most common one. MITRE techniques are
/// the nearest fit for "new behaviour of this kind", not proof of one.</summary>
public static class BaselineRules
{
    public static readonly RuntimeRule NewExecutable = new("baseline-new-executable", "Executable outside the workload baseline",
        AlertPriority.Warning, "T1204", "A container ran an executable its workload's replicas did not run during the learning window.");

    public static readonly RuntimeRule NewPath = new("baseline-new-path", "File path outside the workload baseline",
        AlertPriority.Informational, "T1005", "A container opened a file below a directory its workload's replicas did not open during the learning window.");

    public static readonly RuntimeRule NewDestination = new("baseline-new-destination", "Connect outside the workload baseline",
        AlertPriority.Warning, "T1071", "A container connected to a subnet and port its workload's replicas did not connect to during the learning window.");

    public static RuntimeRule For(BaselineKind kind) => kind switch
    {
        BaselineKind.Executable => NewExecutable,
        BaselineKind.PathPrefix => NewPath,
        _ => NewDestination,
    };

    /// <summary>Score 0-100 of a deviation: a new executable 70 (code that never ran), a new subnet 60 and a new
    /// port of a known subnet 40 (reaching out), a file written in a new directory 50 and read 30 (most often a
    /// harmless code path); +10 for each other deviation of the container in the last minute, at most +30 (bursts
    /// are what an intrusion looks like).</summary>
    public static int Score(BaselineKind kind, bool write, bool knownSubnet, int recentDeviations)
    {
        var score = kind switch
        {
            BaselineKind.Executable => 70,
            BaselineKind.Destination => knownSubnet ? 40 : 60,
            _ => write ? 50 : 30,
        };
        return Math.Min(100, score + Math.Min(30, 10 * recentDeviations));
    }

    /// <summary>Falco priority of a score: ≥ 80 Critical, ≥ 60 Warning, ≥ 40 Notice, below Informational.</summary>
    public static AlertPriority PriorityOf(int score) => score switch
    {
        >= 80 => AlertPriority.Critical,
        >= 60 => AlertPriority.Warning,
        >= 40 => AlertPriority.Notice,
        _ => AlertPriority.Informational,
    };
}
