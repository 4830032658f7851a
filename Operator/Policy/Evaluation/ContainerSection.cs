namespace SecurityOperator.Policy.Evaluation;

/// <summary>Which list of the pod spec a container came from. The order is the one upstream Pod Security visits them in.</summary>
public enum ContainerSection : byte { InitContainers, Containers, EphemeralContainers }

public static class ContainerSectionNames
{
    public static string FieldName(this ContainerSection section) => section switch
    {
        ContainerSection.InitContainers => "initContainers",
        ContainerSection.Containers => "containers",
        _ => "ephemeralContainers",
    };
}
