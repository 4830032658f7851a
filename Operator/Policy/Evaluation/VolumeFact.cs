namespace SecurityOperator.Policy.Evaluation;

/// <summary>A pod volume: its name, its source type (the one key other than "name", e.g. "hostPath", "configMap"),
/// and for hostPath the path. A volume without a source has an absent <see cref="Type"/>.</summary>
public record struct VolumeFact(int Index, TextRange Name, TextRange Type, TextRange HostPath);

/// <summary>A label or kept annotation (key, value).</summary>
public record struct KeyValueFact(TextRange Key, TextRange Value);
