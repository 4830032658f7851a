using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Registry;

namespace SecurityOperator.Signing.Cli;

/// <summary>Which expected failures end a signing command with which exit code; anything else is a bug and propagates.</summary>
internal static class SigningErrors
{
    public static int? ExitCodeOf(Exception e) => e switch
    {
        UsageException or SigningKeyException => SigningExitCodes.Usage,
        RegistryException or DigestMismatchException or FormatException => SigningExitCodes.RegistryError,
        _ => null,
    };
}
