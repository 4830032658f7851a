namespace SecurityOperator.Compliance.Remediation;

/// <summary>--compliance-remediation: off (nothing planned), dry-run (actions planned, logged and reported, nothing
/// changed) or apply (the planned actions are carried out).</summary>
public enum RemediationMode { Off, DryRun, Apply }

public static class RemediationModes
{
    public const string Off = "off", DryRun = "dry-run", Apply = "apply";

    public static string Name(RemediationMode mode) => mode switch { RemediationMode.Off => Off, RemediationMode.Apply => Apply, _ => DryRun };

    public static bool TryParse(string text, out RemediationMode mode)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case Off: mode = RemediationMode.Off; return true;
            case DryRun: mode = RemediationMode.DryRun; return true;
            case Apply: mode = RemediationMode.Apply; return true;
            default: mode = RemediationMode.DryRun; return false;
        }
    }

    public static string? Validate(string text) => TryParse(text, out _) ? null : $"\"{text}\" is not a remediation mode: use {Off}, {DryRun} or {Apply}";
}
