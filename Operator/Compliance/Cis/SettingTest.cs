namespace SecurityOperator.Compliance.Cis;

/// <summary>One test on a component setting: a command-line flag (without dashes) and, for the kubelet and kube-proxy,
/// the equivalent key of their config file (dotted path, e.g. <c>authentication.anonymous.enabled</c>). The flag wins
/// over the config file, as in the kubelet. When neither is given, <see cref="Default"/> (the component's built-in
/// default for the flag) or, when a config file is in use, <see cref="ConfigDefault"/> (the config API's default) is
/// compared instead; null means "no meaningful default": only <see cref="CompareOp.NotSet"/> holds then.</summary>
public sealed record SettingTest(string Flag, CompareOp Op, string? Value = null, string? Default = null,
    string? ConfigPath = null, string? ConfigDefault = null)
{
    public string Describe()
    {
        var name = ConfigPath is null ? $"--{Flag}" : $"--{Flag} (config {ConfigPath})";
        return Op switch
        {
            CompareOp.Set => $"{name} is set",
            CompareOp.NotSet => $"{name} is not set",
            CompareOp.Eq => $"{name} = {Value}",
            CompareOp.NotEq => $"{name} != {Value}",
            CompareOp.Gte => $"{name} >= {Value}",
            CompareOp.Lte => $"{name} <= {Value}",
            CompareOp.Has => $"{name} includes {Value}",
            CompareOp.NotHave => $"{name} does not include {Value}",
            CompareOp.StartsWith => $"{name} starts with {Value}",
            _ => $"{name} only from {Value}",
        };
    }
}
