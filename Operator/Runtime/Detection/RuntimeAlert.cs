using SecurityOperator.Runtime.Attribution;

namespace SecurityOperator.Runtime.Detection;

/// <summary>One rule hit, with everything that names where it happened. <see cref="Argument"/> is the event's
/// object: the executable, the file, the destination, the call.</summary>
public sealed record RuntimeAlert(
    RuntimeRule Rule,
    DateTimeOffset Time,
    ContainerRef Container,
    PodContainer? Pod,
    string Process,
    uint Pid,
    uint ParentPid,
    uint Uid,
    string Argument,
    IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>"Terminal shell in container: pod default/web container nginx process bash (pid 4242, uid 0) argument /bin/bash".</summary>
    public string Message
    {
        get
        {
            var where = Pod is { } p
                ? $"pod {p.Namespace}/{p.PodName} container {p.ContainerName}"
                : Container == ContainerRef.Host ? "host (no container)"
                : $"pod uid {Container.PodUid} container id {Container.ContainerId[..Math.Min(12, Container.ContainerId.Length)]}";
            return $"{Rule.Name}: {where} process {Process} (pid {Pid}, parent {ParentPid}, uid {Uid}) {ArgumentLabel} {Argument}";
        }
    }

    private string ArgumentLabel => Fields.FirstOrDefault(f => f.Key == "argument.kind").Value ?? "argument";
}
