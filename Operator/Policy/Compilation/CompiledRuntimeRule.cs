using System.Net;

namespace SecurityOperator.Policy.Compilation;

public enum RuntimeRuleKind { Executables, Connect, SensitivePaths }

/// <summary>What a runtime rule does on a match. Every match is also written as an alert line (log).</summary>
[Flags]
public enum RuntimeResponse
{
    Log = 1,
    /// <summary>An events.k8s.io/v1 Warning Event on the pod, counted as a series.</summary>
    Event = 2,
    /// <summary>The pod gets the controller's quarantine marks (label, annotations).</summary>
    Quarantine = 4,
    /// <summary>SIGKILL in the kernel at exec, before the first instruction (executables only).</summary>
    Kill = 8,
    /// <summary>EPERM in the kernel at connect (connect only).</summary>
    Block = 16,
}

/// <summary>A destination of spec.runtime.rules[].connect: an address prefix and a port (0: every port).</summary>
public sealed record RuntimeDestination(IPAddress Address, int PrefixBits, ushort Port, string Text);

/// <summary>One validated rule of spec.runtime. <see cref="Number"/> is its position in the list.</summary>
public sealed record CompiledRuntimeRule(
    int Number,
    string Name,
    string? Description,
    RuntimeRuleKind Kind,
    IReadOnlyList<string> Executables,
    IReadOnlyList<RuntimeDestination> DeniedDestinations,
    IReadOnlyList<RuntimeDestination>? AllowedDestinations,
    IReadOnlyList<string> SensitivePaths,
    RuntimeResponse Responses,
    QuarantineAction? Quarantine)
{
    public bool Has(RuntimeResponse response) => (Responses & response) != 0;
}
