namespace SecurityOperator.Compliance.Cis;

/// <summary>The node-side checks (sections 1, 2 and 4) of the CIS Kubernetes Benchmark as data. Ids and titles follow
/// the benchmark's numbering; audits, defaults and remediation texts are ours. v1.8 differs from v1.12 in: 1.1.13/1.1.14
/// (v1.12 adds super-admin.conf), 1.1.20 (certificates 600 in v1.8, 644 in v1.12), and v1.12's new 1.2.30, 4.2.14
/// and 4.3.1. Every check of these sections is profile Level 1.</summary>
public static partial class CisCatalog
{
    public static IReadOnlyList<CisCheck> For(CisBenchmarkVersion version) =>
        version == CisBenchmarkVersion.V1_8 ? V1_8.Value : V1_12.Value;

    private static readonly Lazy<IReadOnlyList<CisCheck>> V1_12 = new(() => Build(CisBenchmarkVersion.V1_12));
    private static readonly Lazy<IReadOnlyList<CisCheck>> V1_8 = new(() => Build(CisBenchmarkVersion.V1_8));

    private static List<CisCheck> Build(CisBenchmarkVersion version)
    {
        var checks = new List<CisCheck>();
        AddControlPlaneFiles(checks, version);
        AddApiServer(checks, version);
        AddControllerManagerAndScheduler(checks);
        AddEtcd(checks);
        AddNode(checks, version);
        return checks;
    }

    private const int Mode600 = 0b110_000_000, Mode644 = 0b110_100_100, Mode700 = 0b111_000_000;

    private static CisCheck Automated(string id, string title, CheckAudit audit, string remediation) => new(id, title, 1, true, audit, remediation);
    private static CisCheck Manual(string id, string title, CheckAudit audit, string remediation) => new(id, title, 1, false, audit, remediation);

    private static SettingsAudit Settings(KubeComponent component, SettingTest test) => new(component, [test]);
    private static SettingsAudit Settings(KubeComponent component, SettingTest first, SettingTest second) => new(component, [first, second]);
    private static SettingsAudit AnyOf(KubeComponent component, SettingTest first, SettingTest second) => new(component, [first, second], AnyHolds: true);
    private static SettingTest IsSet(string flag) => new(flag, CompareOp.Set);
}
