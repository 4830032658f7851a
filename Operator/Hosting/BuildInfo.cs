using System.Runtime.InteropServices;

namespace SecurityOperator.Hosting;

/// <summary>What --version prints: the version, the commit it was built from, the target, and whether this process
/// runs from a static executable (checked on the running file, not assumed from the build).</summary>
public static class BuildInfo
{
    public static string Version => BuildFacts.Version;

    public static string Commit => BuildFacts.Commit;

    public static string Target => BuildFacts.Target;


    public static string Describe()
    {
        var linkage = ExecutableLinkage.Inspect(Environment.ProcessPath);
        return $"security-operator {Version}\n" +
               $"commit: {Commit}\n" +
               $"target: {Target} (runtime {RuntimeInformation.FrameworkDescription})\n" +
               $"static: {linkage}\n";
    }
}
