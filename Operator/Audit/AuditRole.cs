using SecurityOperator.Hosting;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Hosting.Roles;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Defaults;

namespace SecurityOperator.Audit;

/// <summary>--role audit: evaluates manifest files offline with the same engine as the webhook and the controller.
/// Exit codes: 0 nothing denied, 1 something would be denied, 2 usage, policy or manifest errors (with file:line).</summary>
public sealed class AuditRole : IRole
{
    public string Name => Flags.Audit;

    public Task<int> RunAsync(RoleContext context, CancellationToken stopping)
    {
        var options = context.Options;
        if (options.GetBool(Flags.Cis))
            return Task.FromResult(Compliance.Cis.CisAuditCommand.Run(options.GetString(Flags.HostRoot)!, options.GetString(Flags.CisBenchmark)!,
                options.GetString(Flags.Format)!, context.Stdout, context.Stderr));
        if (options.Positional.Count == 0)
        {
            context.Stderr.WriteLine($"security-operator: --role audit needs at least one PATH (a file, a directory, or - for stdin)\n{HelpText.Hint}");
            return Task.FromResult(UsageException.ExitCode);
        }
        var reader = new ManifestReader(context.Stdin);

        IReadOnlyList<CompiledPolicy> policies;
        if (options.GetList(Flags.Policy) is { Count: > 0 } policyPaths)
        {
            var loaded = PolicyFiles.Load(policyPaths, reader);
            if (loaded.Errors.Count > 0)
            {
                foreach (var error in loaded.Errors) context.Stderr.WriteLine($"security-operator: policy {error}");
                return Task.FromResult(2);
            }
            policies = loaded.Policies;
        }
        else policies = [DefaultPolicySet.Policy];

        var evaluator = new PolicyEngineEvaluator(policies, NamespaceLabels.ParseAll(options.GetList(Flags.NamespaceLabels)));
        var report = AuditRunner.Run(reader.Read(options.Positional), evaluator.Evaluate);

        var format = options.GetString(Flags.Format)!;
        var color = format == AuditFormats.Table && ReferenceEquals(context.Stdout, Console.Out) && AuditColor.ForStandardOutput();
        var formatter = AuditFormats.Create(format, color, Environment.CurrentDirectory, BuildInfo.Version, RuleDescriptions(policies))!;
        formatter.Write(report, context.Stdout);
        context.Stdout.Flush();
        return Task.FromResult(AuditRunner.ExitCode(report));
    }

    private static Dictionary<string, string> RuleDescriptions(IReadOnlyList<CompiledPolicy> policies)
    {
        var descriptions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var policy in policies)
            foreach (var rule in policy.Rules)
                if (!string.IsNullOrEmpty(rule.Description)) descriptions[$"{policy.DisplayName}/{rule.Name}"] = rule.Description;
        return descriptions;
    }
}
