using System.Text;

namespace SecurityOperator.Hosting.CommandLine;

/// <summary>The --help text: usage, roles, then every flag with its default, its environment variable and its roles.</summary>
public static class HelpText
{
    public const string UsageLine = "usage: security-operator --role controller|webhook|node|audit [flags] [PATH ...]";
    public const string Hint = "run 'security-operator --help' for every flag and its default";

    public static string Render(IReadOnlyList<FlagDefinition>? flags = null)
    {
        flags ??= Flags.All;
        var sb = new StringBuilder();
        sb.AppendLine(UsageLine).AppendLine();
        sb.AppendLine("Roles:");
        sb.AppendLine("  controller  reconcile SecurityPolicies, audit running workloads, enforce, quarantine, scan compliance");
        sb.AppendLine("  webhook     HTTPS admission webhook (/validate, /mutate)");
        sb.AppendLine("  node        eBPF runtime detection agent (DaemonSet)");
        sb.AppendLine("  audit       evaluate manifest files offline (CI pipelines)");
        sb.AppendLine().AppendLine("Flags (every flag can also be set as SECURITY_OPERATOR_<FLAG>; the command line wins):");
        foreach (var flag in flags)
        {
            var head = flag.Kind == FlagKind.Switch ? $"--{flag.Name}" : $"--{flag.Name} VALUE";
            sb.Append("  ").AppendLine(head);
            sb.Append("      ").AppendLine(flag.Help);
            var details = new List<string>();
            details.Add(flag.Default is not null ? $"default \"{flag.Default}\"" : flag.Kind == FlagKind.List ? "default none" : "required");
            if (flag.Kind == FlagKind.List) details.Add("repeatable");
            details.Add($"env {flag.EnvironmentVariable}");
            details.Add(flag.Roles.Length == 0 ? "all roles" : $"roles: {string.Join(", ", flag.Roles)}");
            sb.Append("      (").Append(string.Join("; ", details)).AppendLine(")");
        }
        return sb.ToString();
    }
}
