namespace SecurityOperator.Runtime.Detection;

/// <summary>Falco's priorities (its "priority" field), most severe first.</summary>
public enum AlertPriority
{
    Emergency,
    Alert,
    Critical,
    Error,
    Warning,
    Notice,
    Informational,
    Debug,
}
