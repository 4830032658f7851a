namespace SecurityOperator.Hosting.CommandLine;

/// <summary>A command line the operator cannot run: printed as one line plus a usage hint, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
