namespace SecurityOperator.Policy.Evaluation;

/// <summary>One container (regular, init or ephemeral). Its ports, resources, env entries, mounts and probe hosts are
/// contiguous runs in the pod-wide lists of <see cref="PodFacts"/> (containers are read one after another).</summary>
public struct ContainerFacts
{
    public ContainerSection Section;
    public int IndexInSection;
    public TextRange Name;
    public TextRange Image;
    public SecurityContextFacts SecurityContext;
    public bool HasResources, HasLimits, HasRequests;
    public int PortStart, PortCount;
    public int ResourceStart, ResourceCount;
    public int EnvStart, EnvCount;
    public int MountStart, MountCount;
    public int ProbeHostStart, ProbeHostCount;
}

/// <summary>A container port that binds the host (hostPort != 0) or declares a container port.</summary>
public record struct PortFact(int IndexInContainer, int HostPort, int ContainerPort);

/// <summary>A resource under resources.limits (IsLimit) or resources.requests: name and quantity text (a JSON
/// number's digits when written as a number).</summary>
public record struct ResourceFact(bool IsLimit, TextRange Name, TextRange Quantity);

public enum EnvSource : byte { Literal, SecretKeyRef, ConfigMapKeyRef, FieldRef, ResourceFieldRef, EnvFromSecret, EnvFromConfigMap, Other }

/// <summary>An env entry (IndexInContainer into env[]) or an envFrom entry (IndexInContainer into envFrom[]).</summary>
public record struct EnvFact(int IndexInContainer, EnvSource Source, TextRange Name, TextRange Value, TextRange SecretName, TextRange SecretKey);

public record struct VolumeMountFact(int IndexInContainer, TextRange Name, TextRange MountPath, bool ReadOnly);

/// <summary>A non-empty host in a probe or lifecycle handler: <c>{Handler}.httpGet.host</c>, or <c>.tcpSocket.host</c>
/// when <see cref="TcpSocket"/>.</summary>
public record struct ProbeHostFact(TextRange Host, ProbeHandler Handler, bool TcpSocket);

/// <summary>The probe or lifecycle handler a host was found in.</summary>
public enum ProbeHandler : byte { LivenessProbe, ReadinessProbe, StartupProbe, PostStart, PreStop }

public static class ProbeHandlerNames
{
    /// <summary>The handler's path below the container.</summary>
    public static string FieldPath(this ProbeHandler handler) => handler switch
    {
        ProbeHandler.LivenessProbe => "livenessProbe",
        ProbeHandler.ReadinessProbe => "readinessProbe",
        ProbeHandler.StartupProbe => "startupProbe",
        ProbeHandler.PostStart => "lifecycle.postStart",
        _ => "lifecycle.preStop",
    };
}
