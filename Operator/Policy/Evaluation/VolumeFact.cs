namespace SecurityOperator.Policy.Evaluation;

/// <summary>A pod volume: its name, its first source type (a non-null key other than "name", e.g. "hostPath",
/// "configMap"; absent when it has none), whether hostPath is set and its path, and all its non-null source keys as a
/// run of <see cref="PodFacts.VolumeSources"/> (the API allows one source, but unvalidated manifests may carry more,
/// and Pod Security judges each field on its own). A null source (<c>"hostPath": null</c>) is no source, as Go decodes it.</summary>
public record struct VolumeFact(int Index, TextRange Name, TextRange Type, bool HasHostPath, TextRange HostPath, int SourceStart, int SourceCount);

/// <summary>A label or kept annotation (key, value).</summary>
public record struct KeyValueFact(TextRange Key, TextRange Value);

/// <summary>A pod sysctl: its index in spec.securityContext.sysctls and its name (empty when the entry has none).</summary>
public record struct SysctlFact(int Index, TextRange Name);
