namespace SecurityOperator.Signing.Cli;

/// <summary>Exit codes of <c>sign</c> and <c>verify</c>, so scripts can tell "not signed" from "could not check".</summary>
public static class SigningExitCodes
{
    public const int Ok = 0;
    /// <summary>verify: no signature verified with the given key(s).</summary>
    public const int NotVerified = 1;
    /// <summary>Bad command line, unreadable or unusable key, bad image reference (the host's usage code).</summary>
    public const int Usage = 2;
    /// <summary>The registry could not be asked (unreachable, timeout, credentials refused, image missing) or served
    /// content that does not match its digest.</summary>
    public const int RegistryError = 4;
}
