using SecurityOperator.Runtime.Events;
using SecurityOperator.Runtime.Sensor;

namespace SecurityOperator.Runtime.Policies;

/// <summary>The loaded object's denied_execs, denied_destinations and connect_modes maps.</summary>
public sealed class KernelRuntimeMaps(KernelSensor sensor) : IRuntimeMaps
{
    public void SetExec(ExecEntry entry, ExecRule rule) => sensor.DeniedExecs.Update(entry.Key, rule);

    public void RemoveExec(ExecEntry entry) => sensor.DeniedExecs.Delete(entry.Key);

    public void SetDestination(DestinationEntry entry, DestinationRule rule) => sensor.DeniedDestinations.Update(entry.Key, rule);

    public void RemoveDestination(DestinationEntry entry) => sensor.DeniedDestinations.Delete(entry.Key);

    public void SetConnectMode(ulong cgroupId, ConnectMode mode) => sensor.ConnectModes.Update(cgroupId, mode);

    public void RemoveConnectMode(ulong cgroupId) => sensor.ConnectModes.Delete(cgroupId);
}
