namespace SecurityOperator.Runtime.Policies;

/// <summary>Processes of a cgroup v2 directory (cgroup.procs, host pids as the agent sees them with hostPID).</summary>
public static class ContainerProcesses
{
    public static int? First(string cgroupDirectory)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(cgroupDirectory, "cgroup.procs")))
                if (int.TryParse(line, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)) return pid;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the cgroup went away
        }
        return null;
    }
}
