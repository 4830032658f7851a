namespace SecurityOperator.Policy.Compilation;

/// <summary>The outcome of compiling one policy: the compiled policy, or every error found (each "field.path: problem").</summary>
public sealed record PolicyCompilation(CompiledPolicy? Policy, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Policy is not null;
}
