namespace SecurityOperator.Compliance.Cis;

/// <summary>Outcome of one check. Pass/Fail for an automated check; a manual check that the audit finds wrong is Warn
/// (the benchmark leaves the final judgement to a person); Manual when there is nothing to read automatically;
/// Error when the input could not be read (unparsable manifest, unreadable file).</summary>
public enum CheckStatus { Pass, Fail, Warn, Manual, Error }

public static class CheckStatusNames
{
    public static string Of(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "PASS",
        CheckStatus.Fail => "FAIL",
        CheckStatus.Warn => "WARN",
        CheckStatus.Manual => "MANUAL",
        _ => "ERROR",
    };
}
