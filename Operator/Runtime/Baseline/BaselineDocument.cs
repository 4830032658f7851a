using System.Text.Json.Serialization;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>What is stored of a workload's baseline (ConfigMap data key "baseline.json"): the learning window and,
/// per container name, the sorted entries. Version 1.</summary>
public sealed class BaselineDocument
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("version")] public int Version { get; set; } = CurrentVersion;
    [JsonPropertyName("workload")] public string Workload { get; set; } = "";
    /// <summary>When the first node to see the workload started learning; the earliest wins in a merge.</summary>
    [JsonPropertyName("learningStarted")] public DateTimeOffset? LearningStarted { get; set; }
    [JsonPropertyName("learningEnds")] public DateTimeOffset? LearningEnds { get; set; }
    /// <summary>The size bound stopped the learning of further entries.</summary>
    [JsonPropertyName("truncated")] public bool Truncated { get; set; }
    [JsonPropertyName("containers")] public SortedDictionary<string, BaselineContainerDocument> Containers { get; set; } = new(StringComparer.Ordinal);
}

public sealed class BaselineContainerDocument
{
    [JsonPropertyName("executables")] public List<string> Executables { get; set; } = [];
    [JsonPropertyName("pathPrefixes")] public List<string> PathPrefixes { get; set; } = [];
    [JsonPropertyName("destinations")] public List<string> Destinations { get; set; } = [];

    public List<string> Of(BaselineKind kind) => kind switch
    {
        BaselineKind.Executable => Executables,
        BaselineKind.PathPrefix => PathPrefixes,
        _ => Destinations,
    };
}
