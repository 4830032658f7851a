namespace SecurityOperator.Hosting.CommandLine;

/// <summary>Parses <c>--flag value</c>, <c>--flag=value</c>, switches and positional arguments against <see cref="Flags.All"/>,
/// then fills unset flags from SECURITY_OPERATOR_* environment variables (the command line wins). Every problem is a
/// <see cref="UsageException"/> naming the flag and the value.</summary>
public static class CommandLineParser
{
    public static OperatorOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment, IReadOnlyList<FlagDefinition>? flags = null)
    {
        flags ??= Flags.All;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var positional = new List<string>();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg == "-h") arg = "--help";
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "-")
            {
                if (arg.StartsWith('-') && arg != "-") throw new UsageException($"unknown flag '{arg}' (flags are written --name)");
                positional.Add(arg);
                continue;
            }

            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg[2..] : arg[2..eq];
            var flag = flags.FirstOrDefault(f => f.Name == name) ?? throw new UsageException($"unknown flag --{name}");
            string value;
            if (eq >= 0) value = arg[(eq + 1)..];
            else if (flag.Kind == FlagKind.Switch) value = "true";
            else if (i + 1 < args.Count) value = args[++i];
            else throw new UsageException($"flag --{name} needs a value");

            Store(flag, value, "flag", values, lists, sources);
        }

        // --help, --version and --sbom answer whatever the environment holds: a broken SECURITY_OPERATOR_* variable must not
        // hide the help that explains it.
        if (IsSet(values, Flags.Help) || IsSet(values, Flags.Version) || IsSet(values, Flags.Sbom))
            return new OperatorOptions(values, lists, positional) { Sources = sources };

        foreach (var flag in flags)
        {
            if (sources.ContainsKey(flag.Name)) continue;
            var fromEnv = environment(flag.EnvironmentVariable);
            if (!string.IsNullOrEmpty(fromEnv)) Store(flag, fromEnv, "env", values, lists, sources);
        }

        var options = new OperatorOptions(values, lists, positional) { Sources = sources };
        if (options.GetBool(Flags.Help) || options.GetBool(Flags.Version) || options.GetBool(Flags.Sbom)) return options;

        if (string.IsNullOrEmpty(options.Role))
            throw new UsageException($"--role is required: one of {string.Join(", ", Flags.AllRoles)}");
        // Only the audit role reads paths; anywhere else a positional argument is a mistake (often a flag missing its value).
        if (positional.Count > 0 && options.Role != Flags.Audit)
            throw new UsageException($"unexpected argument '{positional[0]}': --role {options.Role} takes no positional arguments");
        foreach (var name in sources.Where(s => s.Value == "flag").Select(s => s.Key))
        {
            var flag = flags.First(f => f.Name == name);
            if (!flag.AppliesTo(options.Role))
                throw new UsageException($"flag --{name} does not apply to --role {options.Role} (it is for {string.Join(", ", flag.Roles)})");
        }
        return options;
    }

    private static bool IsSet(Dictionary<string, string?> values, FlagDefinition flag) =>
        values.TryGetValue(flag.Name, out var v) && v is not null && FlagValidators.ParseBoolean(v) == true;

    private static void Store(FlagDefinition flag, string value, string source,
        Dictionary<string, string?> values, Dictionary<string, List<string>> lists, Dictionary<string, string> sources)
    {
        var where = source == "env" ? $"{flag.EnvironmentVariable}" : $"--{flag.Name}";
        if (flag.Kind == FlagKind.Switch && FlagValidators.ParseBoolean(value) is null)
            throw new UsageException($"invalid value '{value}' for {where}: must be true or false");
        if (flag.Validate?.Invoke(value) is { } problem)
            throw new UsageException($"invalid value '{value}' for {where}: {problem}");
        if (flag.Kind == FlagKind.List)
        {
            if (!lists.TryGetValue(flag.Name, out var list)) lists[flag.Name] = list = new List<string>();
            list.Add(value);
        }
        else if (source == "flag" && sources.ContainsKey(flag.Name))
            throw new UsageException($"flag --{flag.Name} given twice");
        values[flag.Name] = value;
        sources[flag.Name] = source;
    }
}
