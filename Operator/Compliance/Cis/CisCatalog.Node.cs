namespace SecurityOperator.Compliance.Cis;

// Section 4: worker node configuration files (4.1), kubelet (4.2), kube-proxy (4.3, v1.12).
public static partial class CisCatalog
{
    private static readonly KubeComponent Kubelet = KubeComponent.Kubelet, Proxy = KubeComponent.Proxy;

    // Where kubelet units live: kubeadm's drop-in (deb and rpm layouts) and a plain unit file.
    private static readonly FileTarget KubeletService = FileTarget.At(
        "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf", "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
        "/lib/systemd/system/kubelet.service", "/etc/systemd/system/kubelet.service");

    private const string EditKubelet = "In the kubelet config file (/var/lib/kubelet/config.yaml for kubeadm) ";
    private const string Restart = "; then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).";

    private static void AddNode(List<CisCheck> c, CisBenchmarkVersion version)
    {
        c.Add(Automated("4.1.1", "Ensure that the kubelet service file permissions are set to 600 or more restrictive",
            new FileModeAudit(Kubelet, KubeletService, Mode600), "chmod 600 the kubelet unit file and its drop-ins (kubeadm: /etc/systemd/system/kubelet.service.d/10-kubeadm.conf)."));
        c.Add(Automated("4.1.2", "Ensure that the kubelet service file ownership is set to root:root",
            new FileOwnerAudit(Kubelet, KubeletService, "root", "root"), "chown root:root the kubelet unit file and its drop-ins."));
        var proxyKubeconfig = new FileTarget(["/var/lib/kube-proxy/kubeconfig.conf"], Proxy, "kubeconfig");
        c.Add(Manual("4.1.3", "If proxy kubeconfig file exists ensure permissions are set to 600 or more restrictive",
            new FileModeAudit(Kubelet, proxyKubeconfig, Mode600, OptionalFile: true), "chmod 600 the file given to kube-proxy as --kubeconfig."));
        c.Add(Manual("4.1.4", "If proxy kubeconfig file exists ensure ownership is set to root:root",
            new FileOwnerAudit(Kubelet, proxyKubeconfig, "root", "root", OptionalFile: true), "chown root:root the file given to kube-proxy as --kubeconfig."));
        var kubeletKubeconfig = new FileTarget(["/etc/kubernetes/kubelet.conf"], Kubelet, "kubeconfig");
        c.Add(Automated("4.1.5", "Ensure that the --kubeconfig kubelet.conf file permissions are set to 600 or more restrictive",
            new FileModeAudit(Kubelet, kubeletKubeconfig, Mode600), "chmod 600 the kubelet's --kubeconfig file (kubeadm: /etc/kubernetes/kubelet.conf)."));
        c.Add(Automated("4.1.6", "Ensure that the --kubeconfig kubelet.conf file ownership is set to root:root",
            new FileOwnerAudit(Kubelet, kubeletKubeconfig, "root", "root"), "chown root:root the kubelet's --kubeconfig file."));
        var clientCa = new FileTarget(["/etc/kubernetes/pki/ca.crt"], Kubelet, "client-ca-file", "authentication.x509.clientCAFile");
        c.Add(Manual("4.1.7", "Ensure that the certificate authorities file permissions are set to 644 or more restrictive",
            new FileModeAudit(Kubelet, clientCa, Mode644), "chmod 644 the kubelet's client CA file (--client-ca-file or authentication.x509.clientCAFile)."));
        c.Add(Manual("4.1.8", "Ensure that the client certificate authorities file ownership is set to root:root",
            new FileOwnerAudit(Kubelet, clientCa, "root", "root"), "chown root:root the kubelet's client CA file."));
        var config = new FileTarget([Kubelet.DefaultConfigPath!], Kubelet, "config");
        c.Add(Automated("4.1.9", "If the kubelet config.yaml configuration file is being used validate permissions set to 600 or more restrictive",
            new FileModeAudit(Kubelet, config, Mode600, OptionalFile: true), "chmod 600 the kubelet's --config file (kubeadm: /var/lib/kubelet/config.yaml)."));
        c.Add(Automated("4.1.10", "If the kubelet config.yaml configuration file is being used validate file ownership is set to root:root",
            new FileOwnerAudit(Kubelet, config, "root", "root", OptionalFile: true), "chown root:root the kubelet's --config file."));

        // Defaults: Default is the kubelet flag's default, ConfigDefault the KubeletConfiguration v1beta1 default (the
        // config API defaults to the secure values: no anonymous access, Webhook authorization, read-only port off).
        c.Add(Automated("4.2.1", "Ensure that the --anonymous-auth argument is set to false",
            Settings(Kubelet, new("anonymous-auth", CompareOp.Eq, "false", "true", "authentication.anonymous.enabled", "false")),
            EditKubelet + "set authentication.anonymous.enabled: false (or pass --anonymous-auth=false)" + Restart));
        c.Add(Automated("4.2.2", "Ensure that the --authorization-mode argument is not set to AlwaysAllow",
            Settings(Kubelet, new("authorization-mode", CompareOp.NotHave, "AlwaysAllow", "AlwaysAllow", "authorization.mode", "Webhook")),
            EditKubelet + "set authorization.mode: Webhook (or pass --authorization-mode=Webhook)" + Restart));
        c.Add(Automated("4.2.3", "Ensure that the --client-ca-file argument is set as appropriate",
            Settings(Kubelet, new("client-ca-file", CompareOp.Set, ConfigPath: "authentication.x509.clientCAFile")),
            EditKubelet + "set authentication.x509.clientCAFile to the cluster CA (or pass --client-ca-file)" + Restart));
        c.Add(Manual("4.2.4", "Verify that if defined, the --read-only-port argument is set to 0",
            Settings(Kubelet, new("read-only-port", CompareOp.Eq, "0", "10255", "readOnlyPort", "0")),
            EditKubelet + "set readOnlyPort: 0 (or pass --read-only-port=0)" + Restart));
        c.Add(Manual("4.2.5", "Ensure that the --streaming-connection-idle-timeout argument is not set to 0",
            Settings(Kubelet, new("streaming-connection-idle-timeout", CompareOp.NotEq, "0", "4h", "streamingConnectionIdleTimeout", "4h")),
            EditKubelet + "set streamingConnectionIdleTimeout to a non-zero duration such as 5m" + Restart));
        c.Add(Automated("4.2.6", "Ensure that the --make-iptables-util-chains argument is set to true",
            Settings(Kubelet, new("make-iptables-util-chains", CompareOp.Eq, "true", "true", "makeIPTablesUtilChains", "true")),
            EditKubelet + "set makeIPTablesUtilChains: true or remove it (true is the default)" + Restart));
        c.Add(Manual("4.2.7", "Ensure that the --hostname-override argument is not set",
            Settings(Kubelet, new SettingTest("hostname-override", CompareOp.NotSet)),
            "Remove --hostname-override from the kubelet's command line (its unit file or drop-in)" + Restart));
        c.Add(Manual("4.2.8", "Ensure that the eventRecordQPS argument is set to a level which ensures appropriate event capture",
            Settings(Kubelet, new("event-qps", CompareOp.Gte, "0", "50", "eventRecordQPS", "50")),
            EditKubelet + "set eventRecordQPS to a rate that keeps the events you need (0 means unlimited)" + Restart));
        c.Add(Manual("4.2.9", "Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate",
            Settings(Kubelet, new("tls-cert-file", CompareOp.Set, ConfigPath: "tlsCertFile"), new("tls-private-key-file", CompareOp.Set, ConfigPath: "tlsPrivateKeyFile")),
            EditKubelet + "set tlsCertFile and tlsPrivateKeyFile to a CA-signed serving certificate, or enable serverTLSBootstrap" + Restart));
        c.Add(Automated("4.2.10", "Ensure that the --rotate-certificates argument is not set to false",
            AnyOf(Kubelet, new("rotate-certificates", CompareOp.NotEq, "false", ConfigPath: "rotateCertificates"),
                new("rotate-certificates", CompareOp.NotSet, ConfigPath: "rotateCertificates")),
            EditKubelet + "set rotateCertificates: true or remove rotateCertificates: false" + Restart));
        c.Add(Manual("4.2.11", "Verify that the RotateKubeletServerCertificate argument is set to true",
            Settings(Kubelet, new("feature-gates", CompareOp.NotHave, "RotateKubeletServerCertificate=false", "", "featureGates", "")),
            EditKubelet + "remove RotateKubeletServerCertificate: false from featureGates (or from --feature-gates)" + Restart));
        c.Add(Manual("4.2.12", "Ensure that the Kubelet only makes use of Strong Cryptographic Ciphers",
            Settings(Kubelet, new("tls-cipher-suites", CompareOp.ValidElements, KubeletStrongCiphers, ConfigPath: "tlsCipherSuites")),
            EditKubelet + "set tlsCipherSuites to a subset of " + KubeletStrongCiphers + Restart));
        c.Add(Manual("4.2.13", "Ensure that a limit is set on pod PIDs",
            Settings(Kubelet, new("pod-max-pids", CompareOp.Set, ConfigPath: "podPidsLimit")),
            EditKubelet + "set podPidsLimit to the most processes one pod may need (or pass --pod-max-pids)" + Restart));
        if (version != CisBenchmarkVersion.V1_12) return;
        c.Add(Manual("4.2.14", "Ensure that the --seccomp-default parameter is set to true",
            Settings(Kubelet, new("seccomp-default", CompareOp.Eq, "true", "false", "seccompDefault", "false")),
            EditKubelet + "set seccompDefault: true so containers without a profile get RuntimeDefault" + Restart));
        c.Add(Automated("4.3.1", "Ensure that the kube-proxy metrics service is bound to localhost",
            Settings(Proxy, new("metrics-bind-address", CompareOp.StartsWith, "127.0.0.1:", "127.0.0.1:10249", "metricsBindAddress", "127.0.0.1:10249")),
            "In kube-proxy's configuration (the kube-proxy ConfigMap for kubeadm) set metricsBindAddress to 127.0.0.1:10249 or remove it."));
    }

    private const string KubeletStrongCiphers = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256," +
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305," +
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
}
