namespace SecurityOperator.Tests.Hosting;

/// <summary>Tests that register SIGTERM/SIGINT handlers or send those signals to the test process run alone, so a signal
/// meant for one test never reaches another test's handler.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SignalCollection
{
    public const string Name = "process signals";
}
