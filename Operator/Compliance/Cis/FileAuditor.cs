namespace SecurityOperator.Compliance.Cis;

/// <summary>Runs the permission and ownership audits: resolves the target files (from a component setting or the
/// default paths, walking directories when asked) and compares mode or owner of each.</summary>
public sealed class FileAuditor(HostRoot root, ComponentLocator locator)
{
    private HostAccounts? _accounts;

    public (CheckStatus? Forced, bool Holds, List<string> Evidence) Audit(FileModeAudit audit) =>
        Run(audit.Target, audit.OptionalFile, (path, status) =>
        {
            var ok = (status.Mode & ~audit.MaxMode) == 0;
            return (ok, $"{path}: mode {status.ModeText}");
        });

    public (CheckStatus? Forced, bool Holds, List<string> Evidence) Audit(FileOwnerAudit audit)
    {
        _accounts ??= HostAccounts.Read(root);
        var accounts = _accounts;
        var uid = accounts.UserId(audit.User);
        var gid = accounts.GroupId(audit.Group);
        var result = Run(audit.Target, audit.OptionalFile, (path, status) =>
        {
            var owner = $"{accounts.UserName(status.Uid)}:{accounts.GroupName(status.Gid)}";
            return (status.Uid == uid && status.Gid == gid, $"{path}: owner {owner}");
        });
        if (uid is null) result.Evidence.Insert(0, $"no user {audit.User} in the host's /etc/passwd");
        if (gid is null) result.Evidence.Insert(0, $"no group {audit.Group} in the host's /etc/group");
        return result;
    }

    private (CheckStatus? Forced, bool Holds, List<string> Evidence) Run(FileTarget target, bool optional,
        Func<string, FileStatus, (bool Ok, string Evidence)> judge)
    {
        var evidence = new List<string>();
        var (paths, error) = TargetPaths(target);
        if (error is not null) return (CheckStatus.Error, false, [error]);
        var files = new List<string>();
        foreach (var path in paths) files.AddRange(Expand(path, target));
        if (files.Count == 0)
        {
            var where = string.Join(", ", paths);
            return optional ? (null, true, [$"no file at {where} (the check applies only if it exists)"])
                : (CheckStatus.Warn, false, [$"not found: {where}"]);
        }
        var holds = true;
        foreach (var file in files)
        {
            try
            {
                var (hostPath, local) = root.ResolveLinks(file);
                var (ok, line) = judge(hostPath == file ? file : $"{file} -> {hostPath}", FileStatus.Read(local));
                holds &= ok;
                evidence.Add(line);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (CheckStatus.Error, false, [$"{file}: {e.Message}"]);
            }
        }
        return (null, holds, evidence);
    }

    private (List<string> Paths, string? Error) TargetPaths(FileTarget target)
    {
        if (target.FromComponent is { } component && target.FromFlag is { } flag)
        {
            var state = locator.Find(component);
            if (state.Flags.Get(flag) is { } fromFlag) return ([fromFlag], null);
            if (target.FromConfigPath is { } configPath && state.Config is { } config && SettingComparison.Lookup(config, configPath) is { } fromConfig)
                return ([fromConfig], null);
            if (state.Error is not null) return ([], $"cannot tell which file: {state.Error}");
        }
        return ([.. target.DefaultPaths], null);
    }

    private IEnumerable<string> Expand(string hostPath, FileTarget target)
    {
        var local = root.Resolve(hostPath);
        if (!target.Recursive) return File.Exists(local) || Directory.Exists(local) ? [hostPath] : [];
        if (!Directory.Exists(local)) return File.Exists(local) && Matches(hostPath, target) ? [hostPath] : [];
        var found = new List<string>();
        if (target.Suffix is null) found.Add(hostPath);
        foreach (var entry in Directory.EnumerateFileSystemEntries(local, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var entryHostPath = hostPath.TrimEnd('/') + "/" + Path.GetRelativePath(local, entry).Replace('\\', '/');
            if (Matches(entryHostPath, target) && (target.Suffix is null || File.Exists(entry))) found.Add(entryHostPath);
        }
        return found;
    }

    private static bool Matches(string path, FileTarget target) =>
        target.Suffix is null || path.EndsWith(target.Suffix, StringComparison.Ordinal);
}
