using SecurityOperator.Runtime.Events;

namespace SecurityOperator.Runtime.Policies;

/// <summary>The kernel maps that policy rules are written into (an interface so the difference logic is testable
/// without a kernel).</summary>
public interface IRuntimeMaps
{
    void SetExec(ExecEntry entry, ExecRule rule);
    void RemoveExec(ExecEntry entry);
    void SetDestination(DestinationEntry entry, DestinationRule rule);
    void RemoveDestination(DestinationEntry entry);
    void SetConnectMode(ulong cgroupId, ConnectMode mode);
    void RemoveConnectMode(ulong cgroupId);
}
