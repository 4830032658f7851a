namespace SecurityOperator.Policy.PodSecurity;

/// <summary>The reason and detail of one failed check, worded as upstream Pod Security words them
/// ("{reason} ({detail})"). Only built when a violation is reported; the hot path passes null.</summary>
public sealed class PssFinding
{
    public string Reason { get; private set; } = "";
    public string Detail { get; private set; } = "";

    public override string ToString() => Detail.Length == 0 ? Reason : $"{Reason} ({Detail})";

    internal bool Fail(string reason, string detail)
    {
        Reason = reason;
        Detail = detail;
        return true;
    }

    internal static string Pluralize(string singular, string plural, int count) => count == 1 ? singular : plural;

    internal static string JoinQuote(IEnumerable<string> items) => "\"" + string.Join("\", \"", items) + "\"";

    /// <summary>"container \"a\"" or "containers \"a\", \"b\"".</summary>
    internal static string Containers(List<string> names) =>
        $"{Pluralize("container", "containers", names.Count)} {JoinQuote(names)}";
}
