using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity.Checks;

/// <summary>Baseline checks on host access: upstream check_hostNamespaces.go, check_hostPorts.go,
/// check_hostPathVolumes.go and check_hostProbesAndhostLifecycle.go (each a single revision).</summary>
internal static class HostChecks
{
    /// <summary>hostNamespaces, v1.0: hostNetwork, hostPID and hostIPC must be unset or false.</summary>
    public static bool HostNamespaces(PodFacts f, PssFinding? finding)
    {
        var network = f.HostNetwork == true;
        var pid = f.HostPID == true;
        var ipc = f.HostIPC == true;
        if (!network && !pid && !ipc) return false;
        if (finding is null) return true;
        var set = new List<string>(3);
        if (network) set.Add("hostNetwork=true");
        if (pid) set.Add("hostPID=true");
        if (ipc) set.Add("hostIPC=true");
        return finding.Fail("host namespaces", string.Join(", ", set));
    }

    /// <summary>hostPorts, v1.0: every container port's hostPort must be unset or 0.</summary>
    public static bool HostPorts(PodFacts f, PssFinding? finding)
    {
        List<string>? containers = null;
        SortedSet<int>? ports = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            var bad = false;
            foreach (var port in f.PortsOf(c))
            {
                if (port.HostPort == 0) continue;
                if (finding is null) return true;
                bad = true;
                (ports ??= []).Add(port.HostPort);
            }
            if (bad) (containers ??= []).Add(f.String(c.Name));
        }
        if (containers is null) return false;
        return finding!.Fail("hostPort",
            $"{PssFinding.Containers(containers)} {PssFinding.Pluralize("uses", "use", containers.Count)} {PssFinding.Pluralize("hostPort", "hostPorts", ports!.Count)} {string.Join(", ", ports)}");
    }

    /// <summary>hostPathVolumes, v1.0: no volume may be a hostPath volume.</summary>
    public static bool HostPathVolumes(PodFacts f, PssFinding? finding)
    {
        List<string>? volumes = null;
        foreach (var volume in f.Volumes.AsSpan())
        {
            if (!volume.HasHostPath) continue;
            if (finding is null) return true;
            (volumes ??= []).Add(f.String(volume.Name));
        }
        if (volumes is null) return false;
        return finding!.Fail("hostPath volumes", $"{PssFinding.Pluralize("volume", "volumes", volumes.Count)} {PssFinding.JoinQuote(volumes)}");
    }

    /// <summary>hostProbesAndHostLifecycle, v1.34: probes and lifecycle handlers must not set httpGet.host or
    /// tcpSocket.host (the reader records only non-empty hosts).</summary>
    public static bool HostProbesAndHostLifecycle(PodFacts f, PssFinding? finding)
    {
        List<string>? containers = null;
        SortedSet<string>? hosts = null;
        foreach (ref readonly var c in new ContainerOrder(f))
        {
            if (c.ProbeHostCount == 0) continue;
            if (finding is null) return true;
            (containers ??= []).Add(f.String(c.Name));
            foreach (var host in f.ProbeHostsOf(c)) (hosts ??= new(StringComparer.Ordinal)).Add(f.String(host.Host));
        }
        if (containers is null) return false;
        return finding!.Fail("probe or lifecycle host",
            $"{PssFinding.Containers(containers)} {PssFinding.Pluralize("uses", "use", containers.Count)} {PssFinding.Pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts!.Count)} {PssFinding.JoinQuote(hosts)}");
    }

    public static void LocateHostNamespaces(PodFacts f, PssOffenders offenders)
    {
        if (f.HostNetwork == true) offenders.Add(-1, PssField.HostNetwork);
        if (f.HostPID == true) offenders.Add(-1, PssField.HostPID);
        if (f.HostIPC == true) offenders.Add(-1, PssField.HostIPC);
    }

    /// <summary>One offender per port with a hostPort (Item: index in <see cref="PodFacts.Ports"/>).</summary>
    public static void LocateHostPorts(PodFacts f, PssOffenders offenders)
    {
        var order = new ContainerOrder(f);
        while (order.MoveNext())
        {
            ref readonly var c = ref order.Current;
            for (var p = c.PortStart; p < c.PortStart + c.PortCount; p++)
                if (f.Ports[p].HostPort != 0) offenders.Add(order.Index, PssField.HostPort, p, TextRange.None);
        }
    }

    /// <summary>One offender per hostPath volume (Item: index in <see cref="PodFacts.Volumes"/>).</summary>
    public static void LocateHostPathVolumes(PodFacts f, PssOffenders offenders)
    {
        var volumes = f.Volumes.AsSpan();
        for (var v = 0; v < volumes.Length; v++)
            if (volumes[v].HasHostPath) offenders.Add(-1, PssField.HostPathVolume, v, volumes[v].HostPath);
    }

    /// <summary>One offender per probe or lifecycle host (Item: index in <see cref="PodFacts.ProbeHosts"/>).</summary>
    public static void LocateHostProbesAndHostLifecycle(PodFacts f, PssOffenders offenders)
    {
        var order = new ContainerOrder(f);
        while (order.MoveNext())
        {
            ref readonly var c = ref order.Current;
            for (var h = c.ProbeHostStart; h < c.ProbeHostStart + c.ProbeHostCount; h++)
                offenders.Add(order.Index, PssField.ProbeHost, h, f.ProbeHosts[h].Host);
        }
    }
}
