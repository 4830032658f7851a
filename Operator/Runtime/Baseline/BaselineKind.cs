namespace SecurityOperator.Runtime.Baseline;

/// <summary>What a baseline entry is: an executed file, a directory prefix of an opened file, or a connect
/// destination (subnet and port).</summary>
public enum BaselineKind
{
    Executable = 0,
    PathPrefix = 1,
    Destination = 2,
}
