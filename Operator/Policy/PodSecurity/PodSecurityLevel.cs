namespace SecurityOperator.Policy.PodSecurity;

/// <summary>The three Pod Security Standards profiles; each includes the checks of the ones before it.</summary>
public enum PodSecurityLevel { Privileged, Baseline, Restricted }
