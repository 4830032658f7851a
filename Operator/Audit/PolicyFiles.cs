using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Audit;

/// <summary>Loads --policy files: every SecurityPolicy and ClusterSecurityPolicy in them is compiled; any other kind,
/// and every compiler error, is reported with the file and line of the object so that a broken policy never silently
/// audits nothing.</summary>
public static class PolicyFiles
{
    public sealed record LoadResult(IReadOnlyList<CompiledPolicy> Policies, IReadOnlyList<ManifestError> Errors);

    public static LoadResult Load(IReadOnlyList<string> paths, ManifestReader reader)
    {
        var input = reader.Read(paths);
        var policies = new List<CompiledPolicy>();
        var errors = new List<ManifestError>(input.Errors);
        foreach (var obj in input.Objects)
        {
            if (obj.Kind is not ("SecurityPolicy" or "ClusterSecurityPolicy"))
            {
                errors.Add(new ManifestError(obj.SourceFile, obj.Line, 1,
                    $"{obj.Kind} {obj.Name} is not a policy: --policy takes SecurityPolicy and ClusterSecurityPolicy objects"));
                continue;
            }
            var compilation = PolicyCompiler.Compile(obj.Json);
            if (compilation.Policy is { } policy) policies.Add(policy);
            else
                foreach (var error in compilation.Errors)
                    errors.Add(new ManifestError(obj.SourceFile, obj.Line, 1, $"{obj.Kind} {obj.Name}: {error}"));
        }
        if (errors.Count == 0 && policies.Count == 0)
            errors.Add(new ManifestError(string.Join(", ", paths), 0, 0, "no SecurityPolicy or ClusterSecurityPolicy found"));
        return new LoadResult(policies, errors);
    }
}
