namespace SecurityOperator.Compliance.Cis;

/// <summary>A Kubernetes component whose command line the checks read: its executable name (argv[0] in
/// /proc/PID/cmdline, command[0] of a static pod container) and, for control-plane parts, the static pod manifest that
/// kubeadm writes under /etc/kubernetes/manifests. The kubelet and kube-proxy also read a config file named by
/// <see cref="ConfigFlag"/> (the kubelet's default path is where kubeadm writes it).</summary>
public sealed record KubeComponent(string Name, string Binary, string? ManifestFile, string? ConfigFlag = null, string? DefaultConfigPath = null)
{
    /// <summary>kubeadm's static pod directory (kubelet --pod-manifest-path / staticPodPath in kubeadm clusters).</summary>
    public const string ManifestDirectory = "/etc/kubernetes/manifests";

    public string? ManifestPath => ManifestFile is null ? null : $"{ManifestDirectory}/{ManifestFile}";

    public static readonly KubeComponent ApiServer = new("kube-apiserver", "kube-apiserver", "kube-apiserver.yaml");
    public static readonly KubeComponent ControllerManager = new("kube-controller-manager", "kube-controller-manager", "kube-controller-manager.yaml");
    public static readonly KubeComponent Scheduler = new("kube-scheduler", "kube-scheduler", "kube-scheduler.yaml");
    public static readonly KubeComponent Etcd = new("etcd", "etcd", "etcd.yaml");
    public static readonly KubeComponent Kubelet = new("kubelet", "kubelet", null, "config", "/var/lib/kubelet/config.yaml");
    public static readonly KubeComponent Proxy = new("kube-proxy", "kube-proxy", null, "config");

    public static readonly IReadOnlyList<KubeComponent> All = [ApiServer, ControllerManager, Scheduler, Etcd, Kubelet, Proxy];
}
