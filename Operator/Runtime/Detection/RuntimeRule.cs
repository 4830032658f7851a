namespace SecurityOperator.Runtime.Detection;

/// <summary>A detection rule: stable id, Falco-style name (the "rule" field), priority, MITRE ATT&amp;CK technique.</summary>
public sealed record RuntimeRule(string Id, string Name, AlertPriority Priority, string Technique, string Description);
