namespace SecurityOperator.Runtime.Sensor;

/// <summary>The kubelet's top-level cgroups, below which every pod lives: "kubepods.slice" (systemd cgroup driver)
/// and "kubepods" (cgroupfs driver). Kubelets with a custom --cgroup-root put them below it (e.g. /kube/kubepods),
/// hence the flag --node-container-cgroups to name them.</summary>
public static class ContainerRootDiscovery
{
    public static readonly string[] KubeletRoots = ["kubepods.slice", "kubepods"];

    public static IReadOnlyList<string> Existing(string cgroupV2Mount) =>
        KubeletRoots.Select(r => Path.Combine(cgroupV2Mount, r)).Where(Directory.Exists).ToList();
}
