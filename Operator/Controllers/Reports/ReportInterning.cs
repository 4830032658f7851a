using SecurityOperator.Controllers.Audit;
using SecurityOperator.Kube.Informers;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Controllers.Reports;

/// <summary>Makes the PolicyReport informer keep one instance of each string its reports repeat: the source, category,
/// result, severity and property names every result carries, the policy, rule, message and resource of a finding
/// (shared with the audit's findings, <see cref="FindingSharing"/>), and one instance of each distinct properties map.
/// The decoder gives every result its own copies; at 10,000 pods the reports held 3,900 results whose strings were
/// most of their size, added to the heap while the first pass writes them (docs/controller.md, Scale).</summary>
internal static class ReportInterning
{
    /// <summary>Sets the transform of <paramref name="reports"/> (before the informer runs).</summary>
    public static void Apply(SharedInformer<PolicyReport> reports, CacheInterning strings) => reports.SetTransform(r => Intern(r, strings));

    /// <summary>The same report, its results holding shared strings and property maps (nothing changes value).</summary>
    internal static PolicyReport Intern(PolicyReport report, CacheInterning strings)
    {
        foreach (var r in report.Results ?? [])
        {
            r.Source = strings.String(r.Source);
            r.Policy = strings.String(r.Policy)!;
            r.Rule = strings.String(r.Rule);
            r.Category = strings.String(r.Category);
            r.Result = strings.String(r.Result);
            r.Severity = strings.String(r.Severity);
            r.Message = strings.String(r.Message);
            r.Properties = strings.Map(r.Properties) ?? r.Properties;
            foreach (var o in r.Resources ?? [])
            {
                o.ApiVersion = strings.String(o.ApiVersion);
                o.Kind = strings.String(o.Kind);
                o.Namespace = strings.String(o.Namespace);
                o.Name = strings.String(o.Name);
                o.Uid = strings.String(o.Uid);
            }
        }
        return report;
    }
}
