namespace SecurityOperator.Compliance.Cis;

// Section 1: control plane node configuration files (1.1), API server (1.2), controller manager (1.3), scheduler (1.4).
public static partial class CisCatalog
{
    private static readonly KubeComponent Api = KubeComponent.ApiServer, Cm = KubeComponent.ControllerManager,
        Sched = KubeComponent.Scheduler, Etcd = KubeComponent.Etcd;

    private static void AddControlPlaneFiles(List<CisCheck> c, CisBenchmarkVersion version)
    {
        foreach (var (id, component, label) in new[] { ("1.1.1", Api, "API server"), ("1.1.3", Cm, "controller manager"), ("1.1.5", Sched, "scheduler"), ("1.1.7", Etcd, "etcd") })
        {
            var owner = $"1.1.{int.Parse(id[4..]) + 1}";
            c.Add(Automated(id, $"Ensure that the {label} pod specification file permissions are set to 600 or more restrictive",
                new FileModeAudit(component, FileTarget.ManifestOf(component), Mode600),
                $"On the control plane node: chmod 600 {component.ManifestPath} (the kubelet only needs to read it as root)."));
            c.Add(Automated(owner, $"Ensure that the {label} pod specification file ownership is set to root:root",
                new FileOwnerAudit(component, FileTarget.ManifestOf(component), "root", "root"),
                $"On the control plane node: chown root:root {component.ManifestPath}."));
        }
        var cni = new FileTarget(["/etc/cni/net.d", "/var/lib/cni/networks"], Recursive: true);
        c.Add(Manual("1.1.9", "Ensure that the Container Network Interface file permissions are set to 600 or more restrictive",
            new FileModeAudit(Api, cni, Mode600, OptionalFile: true), "chmod 600 each CNI configuration and state file (e.g. under /etc/cni/net.d)."));
        c.Add(Manual("1.1.10", "Ensure that the Container Network Interface file ownership is set to root:root",
            new FileOwnerAudit(Api, cni, "root", "root", OptionalFile: true), "chown root:root each CNI configuration and state file."));
        var dataDir = new FileTarget(["/var/lib/etcd"], Etcd, "data-dir");
        c.Add(Automated("1.1.11", "Ensure that the etcd data directory permissions are set to 700 or more restrictive",
            new FileModeAudit(Etcd, dataDir, Mode700), "Find the directory given to etcd as --data-dir and chmod 700 it (e.g. chmod 700 /var/lib/etcd)."));
        c.Add(Automated("1.1.12", "Ensure that the etcd data directory ownership is set to etcd:etcd",
            new FileOwnerAudit(Etcd, dataDir, "etcd", "etcd"), "Create an etcd user and group if there are none, then chown etcd:etcd the --data-dir directory."));
        var admin = version == CisBenchmarkVersion.V1_8
            ? FileTarget.At("/etc/kubernetes/admin.conf")
            : FileTarget.At("/etc/kubernetes/admin.conf", "/etc/kubernetes/super-admin.conf");
        var adminTitle = version == CisBenchmarkVersion.V1_8 ? "admin.conf file" : "default administrative credential file";
        c.Add(Automated("1.1.13", $"Ensure that the {adminTitle} permissions are set to 600",
            new FileModeAudit(Api, admin, Mode600), "chmod 600 /etc/kubernetes/admin.conf (and super-admin.conf on Kubernetes 1.29+ where present)."));
        c.Add(Automated("1.1.14", $"Ensure that the {adminTitle} ownership is set to root:root",
            new FileOwnerAudit(Api, admin, "root", "root"), "chown root:root /etc/kubernetes/admin.conf (and super-admin.conf where present)."));
        foreach (var (mode, owner, component, file) in new[] { ("1.1.15", "1.1.16", Sched, "scheduler.conf"), ("1.1.17", "1.1.18", Cm, "controller-manager.conf") })
        {
            var target = new FileTarget([$"/etc/kubernetes/{file}"], component, "kubeconfig");
            c.Add(Automated(mode, $"Ensure that the {file} file permissions are set to 600 or more restrictive",
                new FileModeAudit(component, target, Mode600), $"chmod 600 the kubeconfig given to {component.Name} as --kubeconfig (kubeadm: /etc/kubernetes/{file})."));
            c.Add(Automated(owner, $"Ensure that the {file} file ownership is set to root:root",
                new FileOwnerAudit(component, target, "root", "root"), $"chown root:root the kubeconfig of {component.Name} (kubeadm: /etc/kubernetes/{file})."));
        }
        c.Add(Automated("1.1.19", "Ensure that the Kubernetes PKI directory and file ownership is set to root:root",
            new FileOwnerAudit(Api, new FileTarget(["/etc/kubernetes/pki"], Recursive: true), "root", "root"), "chown -R root:root /etc/kubernetes/pki/."));
        var certMode = version == CisBenchmarkVersion.V1_8 ? Mode600 : Mode644;
        var certText = version == CisBenchmarkVersion.V1_8 ? "600" : "644";
        c.Add(Manual("1.1.20", $"Ensure that the Kubernetes PKI certificate file permissions are set to {certText} or more restrictive",
            new FileModeAudit(Api, new FileTarget(["/etc/kubernetes/pki"], Recursive: true, Suffix: ".crt"), certMode),
            $"chmod {certText} each certificate under /etc/kubernetes/pki (*.crt): certificates are public, but nobody else may replace them."));
        c.Add(Manual("1.1.21", "Ensure that the Kubernetes PKI key file permissions are set to 600",
            new FileModeAudit(Api, new FileTarget(["/etc/kubernetes/pki"], Recursive: true, Suffix: ".key"), Mode600),
            "chmod 600 each private key under /etc/kubernetes/pki (*.key)."));
    }

    private const string EditApiServer = "Edit /etc/kubernetes/manifests/kube-apiserver.yaml on each control plane node (the kubelet restarts the API server): ";

    private static void AddApiServer(List<CisCheck> c, CisBenchmarkVersion version)
    {
        c.Add(Manual("1.2.1", "Ensure that the --anonymous-auth argument is set to false",
            Settings(Api, new("anonymous-auth", CompareOp.Eq, "false", Default: "true")),
            EditApiServer + "add --anonymous-auth=false (check first that health probes and anything else relying on anonymous requests are authenticated)."));
        c.Add(Automated("1.2.2", "Ensure that the --token-auth-file parameter is not set",
            Settings(Api, new SettingTest("token-auth-file", CompareOp.NotSet)),
            EditApiServer + "remove --token-auth-file after moving its users to a revocable mechanism (client certificates, OIDC, webhook)."));
        c.Add(Manual("1.2.3", "Ensure that the --DenyServiceExternalIPs is set",
            Settings(Api, new("enable-admission-plugins", CompareOp.Has, "DenyServiceExternalIPs")),
            EditApiServer + "add DenyServiceExternalIPs to --enable-admission-plugins."));
        c.Add(Automated("1.2.4", "Ensure that the --kubelet-client-certificate and --kubelet-client-key arguments are set as appropriate",
            Settings(Api, IsSet("kubelet-client-certificate"), IsSet("kubelet-client-key")),
            EditApiServer + "set --kubelet-client-certificate and --kubelet-client-key to a client certificate the kubelets accept."));
        c.Add(Automated("1.2.5", "Ensure that the --kubelet-certificate-authority argument is set as appropriate",
            Settings(Api, IsSet("kubelet-certificate-authority")),
            EditApiServer + "set --kubelet-certificate-authority to the CA that signs the kubelets' serving certificates."));
        c.Add(Automated("1.2.6", "Ensure that the --authorization-mode argument is not set to AlwaysAllow",
            Settings(Api, new("authorization-mode", CompareOp.NotHave, "AlwaysAllow", Default: "AlwaysAllow")),
            EditApiServer + "set --authorization-mode=Node,RBAC (never AlwaysAllow)."));
        c.Add(Automated("1.2.7", "Ensure that the --authorization-mode argument includes Node",
            Settings(Api, new("authorization-mode", CompareOp.Has, "Node", Default: "AlwaysAllow")),
            EditApiServer + "include Node in --authorization-mode (e.g. --authorization-mode=Node,RBAC)."));
        c.Add(Automated("1.2.8", "Ensure that the --authorization-mode argument includes RBAC",
            Settings(Api, new("authorization-mode", CompareOp.Has, "RBAC", Default: "AlwaysAllow")),
            EditApiServer + "include RBAC in --authorization-mode (e.g. --authorization-mode=Node,RBAC)."));
        c.Add(Manual("1.2.9", "Ensure that the admission control plugin EventRateLimit is set",
            Settings(Api, new("enable-admission-plugins", CompareOp.Has, "EventRateLimit")),
            EditApiServer + "add EventRateLimit to --enable-admission-plugins and give its limits in --admission-control-config-file."));
        c.Add(Automated("1.2.10", "Ensure that the admission control plugin AlwaysAdmit is not set",
            Settings(Api, new("enable-admission-plugins", CompareOp.NotHave, "AlwaysAdmit", Default: "")),
            EditApiServer + "remove AlwaysAdmit from --enable-admission-plugins."));
        c.Add(Manual("1.2.11", "Ensure that the admission control plugin AlwaysPullImages is set",
            Settings(Api, new("enable-admission-plugins", CompareOp.Has, "AlwaysPullImages")),
            EditApiServer + "add AlwaysPullImages to --enable-admission-plugins (so a pod cannot use another tenant's cached private image)."));
        c.Add(Automated("1.2.12", "Ensure that the admission control plugin ServiceAccount is set",
            Settings(Api, new("disable-admission-plugins", CompareOp.NotHave, "ServiceAccount", Default: "")),
            EditApiServer + "remove ServiceAccount from --disable-admission-plugins (it is on by default)."));
        c.Add(Automated("1.2.13", "Ensure that the admission control plugin NamespaceLifecycle is set",
            Settings(Api, new("disable-admission-plugins", CompareOp.NotHave, "NamespaceLifecycle", Default: "")),
            EditApiServer + "remove NamespaceLifecycle from --disable-admission-plugins (it is on by default)."));
        c.Add(Automated("1.2.14", "Ensure that the admission control plugin NodeRestriction is set",
            Settings(Api, new("enable-admission-plugins", CompareOp.Has, "NodeRestriction")),
            EditApiServer + "add NodeRestriction to --enable-admission-plugins (kubelets must use node credentials, i.e. the Node authorizer)."));
        c.Add(Automated("1.2.15", "Ensure that the --profiling argument is set to false",
            Settings(Api, new("profiling", CompareOp.Eq, "false", Default: "true")), EditApiServer + "add --profiling=false."));
        c.Add(Automated("1.2.16", "Ensure that the --audit-log-path argument is set",
            Settings(Api, IsSet("audit-log-path")), EditApiServer + "set --audit-log-path to a file on a mounted volume, e.g. /var/log/kubernetes/audit/audit.log."));
        c.Add(Automated("1.2.17", "Ensure that the --audit-log-maxage argument is set to 30 or as appropriate",
            Settings(Api, new("audit-log-maxage", CompareOp.Gte, "30", Default: "0")), EditApiServer + "set --audit-log-maxage=30 (days) or what your retention policy requires."));
        c.Add(Automated("1.2.18", "Ensure that the --audit-log-maxbackup argument is set to 10 or as appropriate",
            Settings(Api, new("audit-log-maxbackup", CompareOp.Gte, "10", Default: "0")), EditApiServer + "set --audit-log-maxbackup=10 or what your retention policy requires."));
        c.Add(Automated("1.2.19", "Ensure that the --audit-log-maxsize argument is set to 100 or as appropriate",
            Settings(Api, new("audit-log-maxsize", CompareOp.Gte, "100", Default: "0")), EditApiServer + "set --audit-log-maxsize=100 (MB) or larger."));
        c.Add(Manual("1.2.20", "Ensure that the --request-timeout argument is set as appropriate",
            new ManualAudit(Api, "review --request-timeout (default 60s) against the largest legitimate requests"),
            EditApiServer + "set --request-timeout only if the default 60s is too short or too long for your clients."));
        c.Add(Automated("1.2.21", "Ensure that the --service-account-lookup argument is set to true",
            Settings(Api, new("service-account-lookup", CompareOp.Eq, "true", Default: "true")),
            EditApiServer + "remove --service-account-lookup=false (so deleted service accounts' tokens stop working)."));
        c.Add(Automated("1.2.22", "Ensure that the --service-account-key-file argument is set as appropriate",
            Settings(Api, IsSet("service-account-key-file")), EditApiServer + "set --service-account-key-file to the public key(s) that verify service account tokens."));
        c.Add(Automated("1.2.23", "Ensure that the --etcd-certfile and --etcd-keyfile arguments are set as appropriate",
            Settings(Api, IsSet("etcd-certfile"), IsSet("etcd-keyfile")), EditApiServer + "set --etcd-certfile and --etcd-keyfile to the API server's etcd client certificate and key."));
        c.Add(Automated("1.2.24", "Ensure that the --tls-cert-file and --tls-private-key-file arguments are set as appropriate",
            Settings(Api, IsSet("tls-cert-file"), IsSet("tls-private-key-file")), EditApiServer + "set --tls-cert-file and --tls-private-key-file to the serving certificate and key."));
        c.Add(Automated("1.2.25", "Ensure that the --client-ca-file argument is set as appropriate",
            Settings(Api, IsSet("client-ca-file")), EditApiServer + "set --client-ca-file to the CA that signs client certificates."));
        c.Add(Automated("1.2.26", "Ensure that the --etcd-cafile argument is set as appropriate",
            Settings(Api, IsSet("etcd-cafile")), EditApiServer + "set --etcd-cafile to the CA that signs etcd's serving certificate."));
        c.Add(Manual("1.2.27", "Ensure that the --encryption-provider-config argument is set as appropriate",
            Settings(Api, IsSet("encryption-provider-config")), EditApiServer + "write an EncryptionConfiguration and pass its path as --encryption-provider-config."));
        c.Add(Manual("1.2.28", "Ensure that encryption providers are appropriately configured",
            new ManualAudit(Api, "the first provider for secrets in the EncryptionConfiguration is aescbc, kms or secretbox (not identity)"),
            "In the EncryptionConfiguration, list kms (v2), aescbc or secretbox first for secrets, then re-write every Secret so it is stored encrypted."));
        c.Add(Manual("1.2.29", "Ensure that the API Server only makes use of Strong Cryptographic Ciphers",
            Settings(Api, new("tls-cipher-suites", CompareOp.ValidElements, ApiServerStrongCiphers)),
            EditApiServer + "set --tls-cipher-suites to a subset of: " + ApiServerStrongCiphers + "."));
        if (version == CisBenchmarkVersion.V1_12)
            c.Add(Automated("1.2.30", "Ensure that the --service-account-extend-token-expiration parameter is set to false",
                Settings(Api, new("service-account-extend-token-expiration", CompareOp.Eq, "false", Default: "true")),
                EditApiServer + "add --service-account-extend-token-expiration=false (projected tokens then expire when they say)."));
    }

    // AEAD suites with forward secrecy (TLS 1.3 suites plus ECDHE with GCM or ChaCha20-Poly1305).
    private const string ApiServerStrongCiphers = "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256," +
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305," +
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384," +
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";

    private static void AddControllerManagerAndScheduler(List<CisCheck> c)
    {
        const string editCm = "Edit /etc/kubernetes/manifests/kube-controller-manager.yaml on each control plane node: ";
        const string editSched = "Edit /etc/kubernetes/manifests/kube-scheduler.yaml on each control plane node: ";
        c.Add(Manual("1.3.1", "Ensure that the --terminated-pod-gc-threshold argument is set as appropriate",
            Settings(Cm, IsSet("terminated-pod-gc-threshold")), editCm + "set --terminated-pod-gc-threshold (e.g. 10) so finished pods are garbage collected early."));
        c.Add(Automated("1.3.2", "Ensure that the --profiling argument is set to false",
            Settings(Cm, new("profiling", CompareOp.Eq, "false", Default: "true")), editCm + "add --profiling=false."));
        c.Add(Automated("1.3.3", "Ensure that the --use-service-account-credentials argument is set to true",
            Settings(Cm, new("use-service-account-credentials", CompareOp.Eq, "true", Default: "false")),
            editCm + "add --use-service-account-credentials=true (each controller then runs with its own least-privilege service account)."));
        c.Add(Automated("1.3.4", "Ensure that the --service-account-private-key-file argument is set as appropriate",
            Settings(Cm, IsSet("service-account-private-key-file")), editCm + "set --service-account-private-key-file to the key that signs service account tokens."));
        c.Add(Automated("1.3.5", "Ensure that the --root-ca-file argument is set as appropriate",
            Settings(Cm, IsSet("root-ca-file")), editCm + "set --root-ca-file to the cluster CA bundle (published to pods as ca.crt)."));
        c.Add(Automated("1.3.6", "Ensure that the RotateKubeletServerCertificate argument is set to true",
            Settings(Cm, new("feature-gates", CompareOp.NotHave, "RotateKubeletServerCertificate=false", Default: "")),
            editCm + "remove RotateKubeletServerCertificate=false from --feature-gates (the gate is on by default)."));
        c.Add(Automated("1.3.7", "Ensure that the --bind-address argument is set to 127.0.0.1",
            Settings(Cm, new("bind-address", CompareOp.Eq, "127.0.0.1", Default: "0.0.0.0")), editCm + "set --bind-address=127.0.0.1."));
        c.Add(Automated("1.4.1", "Ensure that the --profiling argument is set to false",
            Settings(Sched, new("profiling", CompareOp.Eq, "false", Default: "true")), editSched + "add --profiling=false."));
        c.Add(Automated("1.4.2", "Ensure that the --bind-address argument is set to 127.0.0.1",
            Settings(Sched, new("bind-address", CompareOp.Eq, "127.0.0.1", Default: "0.0.0.0")), editSched + "set --bind-address=127.0.0.1."));
    }

    private static void AddEtcd(List<CisCheck> c)
    {
        const string editEtcd = "Edit /etc/kubernetes/manifests/etcd.yaml (or etcd's service file) on each etcd node: ";
        c.Add(Automated("2.1", "Ensure that the --cert-file and --key-file arguments are set as appropriate",
            Settings(Etcd, IsSet("cert-file"), IsSet("key-file")), editEtcd + "set --cert-file and --key-file to etcd's serving certificate and key."));
        c.Add(Automated("2.2", "Ensure that the --client-cert-auth argument is set to true",
            Settings(Etcd, new("client-cert-auth", CompareOp.Eq, "true", Default: "false")), editEtcd + "add --client-cert-auth=true."));
        c.Add(Automated("2.3", "Ensure that the --auto-tls argument is not set to true",
            Settings(Etcd, new("auto-tls", CompareOp.NotEq, "true", Default: "false")), editEtcd + "remove --auto-tls=true (self-signed certificates nobody verifies)."));
        c.Add(Automated("2.4", "Ensure that the --peer-cert-file and --peer-key-file arguments are set as appropriate",
            Settings(Etcd, IsSet("peer-cert-file"), IsSet("peer-key-file")), editEtcd + "set --peer-cert-file and --peer-key-file for peer traffic (also with a single member, for future ones)."));
        c.Add(Automated("2.5", "Ensure that the --peer-client-cert-auth argument is set to true",
            Settings(Etcd, new("peer-client-cert-auth", CompareOp.Eq, "true", Default: "false")), editEtcd + "add --peer-client-cert-auth=true."));
        c.Add(Automated("2.6", "Ensure that the --peer-auto-tls argument is not set to true",
            Settings(Etcd, new("peer-auto-tls", CompareOp.NotEq, "true", Default: "false")), editEtcd + "remove --peer-auto-tls=true."));
        c.Add(Manual("2.7", "Ensure that a unique Certificate Authority is used for etcd",
            new ManualAudit(Etcd, "etcd's --trusted-ca-file is a CA used only for etcd, not the cluster CA of --client-ca-file"),
            "Create a CA dedicated to etcd, issue etcd's and the API server's etcd client certificates from it, and point --trusted-ca-file at it."));
    }
}
