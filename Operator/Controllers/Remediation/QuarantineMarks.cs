using System.Globalization;
using System.Text;
using System.Text.Json;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.Remediation;

/// <summary>How a quarantined pod is marked: the label the NetworkPolicy selects and the annotations that hold its state.
/// The state lives on the pod, not in memory, so a restarted (or newly elected) controller lifts it on time.</summary>
public static class QuarantineMarks
{
    /// <summary>Issue 5: the pod is labelled <c>security.io/quarantine=&lt;policy&gt;</c>.</summary>
    public const string Label = "security.io/quarantine";
    public const string Since = "security.io/quarantined-at";
    /// <summary>Absent when the action has no duration: the quarantine stays until someone removes the label.</summary>
    public const string Until = "security.io/quarantine-until";
    public const string Rule = "security.io/quarantine-rule";
    /// <summary>Set when the controller lifts a quarantine; such a pod is not quarantined again (it would loop, since its
    /// spec, and so its violation, cannot change).</summary>
    public const string Lifted = "security.io/quarantine-lifted-at";

    /// <summary>Whether an annotation key is one of the marks above (the only annotations the controller reads from
    /// its cached pods; see Controllers/Audit/AuditCacheTrim).</summary>
    public static bool IsMark(string annotation) => annotation is Since or Until or Rule or Lifted;

    public static bool IsQuarantined(Pod pod) => pod.Metadata.Labels?.ContainsKey(Label) == true;

    public static bool WasLifted(Pod pod) => pod.Metadata.Annotations?.ContainsKey(Lifted) == true;

    /// <summary>The deadline from the pod's annotation; null when absent. <paramref name="valid"/> is false when present
    /// but not a timestamp (left alone and logged: never guess a deadline).</summary>
    public static DateTimeOffset? UntilOf(Pod pod, out bool valid)
    {
        valid = true;
        if (pod.Metadata.Annotations?.GetValueOrDefault(Until) is not { } text) return null;
        if (DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until)) return until;
        valid = false;
        return null;
    }

    /// <summary>A label value from a policy name: label values are at most 63 characters of [A-Za-z0-9._-], starting and
    /// ending alphanumeric (a policy name is a DNS subdomain, so only the length can be off).</summary>
    public static string LabelValue(string policyName)
    {
        var value = policyName.Length <= 63 ? policyName : policyName[..63];
        return value.TrimEnd('.', '-', '_');
    }

    /// <summary>Merge patch that quarantines: the label (the policy's name) plus the state annotations (the rule annotation
    /// names the policy as Events do, kind and namespace included).</summary>
    public static byte[] SetPatch(string policyName, string policyDisplayName, string rule, DateTimeOffset now, DateTimeOffset? until) =>
        Patch(w =>
        {
            w.WriteStartObject("labels");
            w.WriteString(Label, LabelValue(policyName));
            w.WriteEndObject();
            w.WriteStartObject("annotations");
            w.WriteString(Since, Stamp(now));
            if (until is { } u) w.WriteString(Until, Stamp(u));
            w.WriteString(Rule, $"{policyDisplayName} rule {rule}");
            w.WriteEndObject();
        });

    /// <summary>Merge patch that lifts: removes the label and the deadline, records when it was lifted.</summary>
    public static byte[] LiftPatch(DateTimeOffset now) =>
        Patch(w =>
        {
            w.WriteStartObject("labels");
            w.WriteNull(Label);
            w.WriteEndObject();
            w.WriteStartObject("annotations");
            w.WriteNull(Until);
            w.WriteString(Lifted, Stamp(now));
            w.WriteEndObject();
        });

    /// <summary>RFC 3339 in UTC, to the second, as Kubernetes writes timestamps.</summary>
    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    private const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private static byte[] Patch(Action<Utf8JsonWriter> metadata)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("metadata");
            metadata(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
