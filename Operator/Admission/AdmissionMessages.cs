using System.Text;
using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Admission;

/// <summary>The texts of admission answers. The denial message lists every violated rule with its container, field,
/// value and fix (kubectl prints it after "admission webhook ... denied the request: "). Warnings are single lines of at
/// most 120 characters with no "Warning:" prefix: kubectl adds that itself (adm-07).</summary>
public static class AdmissionMessages
{
    public const int MaxWarningLength = 120;

    public static string Denial(string workload, IReadOnlyList<ReportedViolation> violations)
    {
        var text = new StringBuilder();
        text.Append(workload).Append(" violates ").Append(violations.Count).Append(violations.Count == 1 ? " security rule: " : " security rules: ");
        for (var i = 0; i < violations.Count; i++)
        {
            if (i > 0) text.Append("; ");
            AppendFinding(text, violations[i]);
            text.Append(" (fix: ").Append(violations[i].Fix).Append(')');
        }
        return text.ToString();
    }

    /// <summary>"policy/rule: container "app": message", cut to 120 characters.</summary>
    public static string Warning(string policyName, ReportedViolation violation, string? prefix = null)
    {
        var text = new StringBuilder();
        text.Append(prefix).Append(policyName).Append('/').Append(violation.Rule).Append(": ");
        if (violation.Container is not null) text.Append("container \"").Append(violation.Container).Append("\": ");
        text.Append(violation.Message);
        return Cut(OneLine(text), MaxWarningLength);
    }

    /// <summary>The dry-run findings, for the API server's audit log.</summary>
    public static string AuditValue(IReadOnlyList<ReportedViolation> violations)
    {
        var text = new StringBuilder();
        for (var i = 0; i < violations.Count; i++)
        {
            if (i > 0) text.Append("; ");
            AppendFinding(text, violations[i]);
        }
        return text.ToString();
    }

    private static void AppendFinding(StringBuilder text, ReportedViolation v)
    {
        text.Append('[').Append(v.Policy).Append('/').Append(v.Rule).Append("] ");
        if (v.Container is not null) text.Append("container \"").Append(v.Container).Append("\" ");
        text.Append('(').Append(v.FieldPath);
        if (v.Value is not null) text.Append(" = ").Append(v.Value);
        text.Append("): ").Append(v.Message);
    }

    // A warning travels as an HTTP header value (Warning: 299 - "..."): control characters have no place there.
    private static string OneLine(StringBuilder text)
    {
        for (var i = 0; i < text.Length; i++)
            if (char.IsControl(text[i])) text[i] = ' ';
        return text.ToString();
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 3), "...");
}
