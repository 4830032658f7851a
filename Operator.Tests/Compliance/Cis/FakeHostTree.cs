namespace SecurityOperator.Tests.Compliance.Cis;

/// <summary>A host file tree in a temp directory for the CIS node checks: kubeadm-style static pod manifests, kubeconfigs,
/// PKI, kubelet config and unit, /etc/passwd and /etc/group, and optionally /proc/PID/cmdline. <see cref="Compliant"/>
/// passes every automated check; tests then break one thing at a time. The tests run as root, so chown works.</summary>
public sealed class FakeHostTree : IDisposable
{
    public const int EtcdUid = 998;

    public FakeHostTree() => Root = Directory.CreateTempSubdirectory("cis-host-").FullName;

    public string Root { get; }

    public string Local(string hostPath) => Path.Join(Root, hostPath.TrimStart('/'));

    public FakeHostTree Write(string hostPath, string content, int mode = 0b110_000_000, int uid = 0, int gid = 0)
    {
        var local = Local(hostPath);
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        File.WriteAllText(local, content);
        return Set(hostPath, mode, uid, gid, chownRoot: false);
    }

    public FakeHostTree Directory_(string hostPath, int mode = 0b111_000_000, int uid = 0, int gid = 0)
    {
        Directory.CreateDirectory(Local(hostPath));
        return Set(hostPath, mode, uid, gid, chownRoot: false);
    }

    public FakeHostTree Set(string hostPath, int mode, int uid = 0, int gid = 0, bool chownRoot = true)
    {
        var local = Local(hostPath);
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the CIS host trees need Linux file modes");
        File.SetUnixFileMode(local, (UnixFileMode)mode);
        // Files the tests (running as root) create are root:root already; only other owners need a chown.
        if (uid != 0 || gid != 0 || chownRoot) Chown(local, uid, gid);
        return this;
    }

    public FakeHostTree Process(int pid, params string[] argv) =>
        Write($"/proc/{pid}/cmdline", string.Join('\0', argv) + "\0", 0b100_100_100);

    public static string StaticPod(string name, params string[] flags) =>
        $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: kube-system
        spec:
          containers:
          - name: {name}
            image: registry.k8s.io/{name}:v1.32.0
            command:
            - {name}
        {string.Join("\n", flags.Select(f => $"    - {f}"))}
        """;

    public static readonly string[] GoodApiServerFlags =
    [
        "--anonymous-auth=false", "--authorization-mode=Node,RBAC", "--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages,DenyServiceExternalIPs",
        "--admission-control-config-file=/etc/kubernetes/admission.yaml", "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt", "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
        "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key", "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
        "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key", "--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt",
        "--profiling=false", "--audit-log-path=/var/log/kubernetes/audit.log", "--audit-log-maxage=30", "--audit-log-maxbackup=10",
        "--audit-log-maxsize=100", "--service-account-key-file=/etc/kubernetes/pki/sa.pub", "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
        "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key", "--encryption-provider-config=/etc/kubernetes/encryption.yaml",
        "--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256", "--service-account-extend-token-expiration=false",
    ];

    public const string GoodKubeletConfig = """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        authentication:
          anonymous:
            enabled: false
          webhook:
            enabled: true
          x509:
            clientCAFile: /etc/kubernetes/pki/ca.crt
        authorization:
          mode: Webhook
        readOnlyPort: 0
        streamingConnectionIdleTimeout: 5m
        rotateCertificates: true
        tlsCertFile: /var/lib/kubelet/pki/kubelet.crt
        tlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key
        tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]
        podPidsLimit: 4096
        seccompDefault: true
        featureGates:
          RotateKubeletServerCertificate: true
        """;

    /// <summary>A kubeadm control plane node that also runs a kubelet, configured to pass every automated check.</summary>
    public static FakeHostTree Compliant()
    {
        var tree = new FakeHostTree();
        tree.Write("/etc/passwd", $"root:x:0:0:root:/root:/bin/bash\netcd:x:{EtcdUid}:{EtcdUid}::/var/lib/etcd:/usr/sbin/nologin\n", 0b110_100_100)
            .Write("/etc/group", $"root:x:0:\netcd:x:{EtcdUid}:\n", 0b110_100_100)
            .Write("/etc/kubernetes/manifests/kube-apiserver.yaml", StaticPod("kube-apiserver", GoodApiServerFlags))
            .Write("/etc/kubernetes/manifests/kube-controller-manager.yaml", StaticPod("kube-controller-manager",
                "--profiling=false", "--use-service-account-credentials=true", "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
                "--root-ca-file=/etc/kubernetes/pki/ca.crt", "--bind-address=127.0.0.1", "--terminated-pod-gc-threshold=10",
                "--kubeconfig=/etc/kubernetes/controller-manager.conf"))
            .Write("/etc/kubernetes/manifests/kube-scheduler.yaml", StaticPod("kube-scheduler", "--profiling=false", "--bind-address=127.0.0.1",
                "--kubeconfig=/etc/kubernetes/scheduler.conf"))
            .Write("/etc/kubernetes/manifests/etcd.yaml", StaticPod("etcd", "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
                "--key-file=/etc/kubernetes/pki/etcd/server.key", "--client-cert-auth=true", "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
                "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key", "--peer-client-cert-auth=true", "--data-dir=/var/lib/etcd"))
            .Directory_("/var/lib/etcd", uid: EtcdUid, gid: EtcdUid)
            .Write("/etc/kubernetes/admin.conf", "kubeconfig")
            .Write("/etc/kubernetes/super-admin.conf", "kubeconfig")
            .Write("/etc/kubernetes/scheduler.conf", "kubeconfig")
            .Write("/etc/kubernetes/controller-manager.conf", "kubeconfig")
            .Write("/etc/kubernetes/kubelet.conf", "kubeconfig")
            .Directory_("/etc/kubernetes/pki", 0b111_101_101)
            .Write("/etc/kubernetes/pki/ca.crt", "cert", 0b110_100_100)
            .Write("/etc/kubernetes/pki/ca.key", "key")
            .Write("/etc/kubernetes/pki/apiserver.crt", "cert", 0b110_100_100)
            .Write("/etc/kubernetes/pki/apiserver.key", "key")
            .Write("/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", "[Service]\n")
            .Write("/var/lib/kubelet/config.yaml", GoodKubeletConfig);
        return tree;
    }

    private static void Chown(string path, int uid, int gid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", ["-h", $"{uid}:{gid}", path])!;
        chown.WaitForExit();
        if (chown.ExitCode != 0) throw new InvalidOperationException($"chown {uid}:{gid} {path} failed");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
