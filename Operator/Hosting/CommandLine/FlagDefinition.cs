namespace SecurityOperator.Hosting.CommandLine;

/// <summary>One command-line flag: its name, how it takes values, its default (with where that default comes from),
/// the roles that read it, and a validator that turns a bad value into a one-line error.</summary>
public sealed record FlagDefinition(
    string Name,
    FlagKind Kind,
    string? Default,
    string Help,
    string[] Roles,
    Func<string, string?>? Validate = null)
{
    /// <summary>Every flag can also come from the environment: --metrics-address ⇒ SECURITY_OPERATOR_METRICS_ADDRESS.
    /// The command line wins over the environment.</summary>
    public string EnvironmentVariable => "SECURITY_OPERATOR_" + Name.Replace('-', '_').ToUpperInvariant();

    public bool AppliesTo(string role) => Roles.Length == 0 || Roles.Contains(role);
}
