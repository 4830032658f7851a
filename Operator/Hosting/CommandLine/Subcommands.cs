using SecurityOperator.Signing.Cli;

namespace SecurityOperator.Hosting.CommandLine;

/// <summary>Commands that run once and exit instead of a role: the first argument names them
/// (<c>security-operator sign ...</c>). They parse their own arguments and print their own errors.</summary>
public static class Subcommands
{
    public delegate Task<int> Handler(IReadOnlyList<string> args, Func<string, string?> environment, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellation);

    public static Handler? Find(IReadOnlyList<string> args) => args.Count == 0 ? null : args[0] switch
    {
        "sign" => SignCommand.RunAsync,
        "verify" => VerifyCommand.RunAsync,
        _ => null,
    };
}
