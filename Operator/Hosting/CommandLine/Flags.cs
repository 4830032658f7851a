namespace SecurityOperator.Hosting.CommandLine;

/// <summary>Every flag of the executable, in one table: --help prints it, the parser checks against it, and each
/// default states where it comes from. Parts add their flags here when their role gains them.</summary>
public static class Flags
{
    public const string Controller = "controller", Webhook = "webhook", Node = "node", Audit = "audit";
    public static readonly string[] AllRoles = [Controller, Webhook, Node, Audit];
    private static readonly string[] ClusterRoles = [Controller, Webhook, Node];
    private static readonly string[] Any = [];

    public static readonly FlagDefinition Role = new("role", FlagKind.Value, null,
        "Which part this process plays: controller, webhook, node or audit.", Any, FlagValidators.OneOf(AllRoles));

    public static readonly FlagDefinition LogLevel = new("log-level", FlagKind.Value, "info",
        "Minimum level of the JSON log lines on stdout: debug, info, warn or error.", Any,
        FlagValidators.OneOf("debug", "info", "warn", "error"));

    // :8080 is the conventional metrics port of Kubernetes operators (controller-runtime's default metrics bind address).
    public static readonly FlagDefinition MetricsAddress = new("metrics-address", FlagKind.Value, ":8080",
        "Plain-HTTP listener for /metrics (Prometheus text format), /healthz and /readyz.", ClusterRoles, FlagValidators.ListenAddress);

    public static readonly FlagDefinition Kubeconfig = new("kubeconfig", FlagKind.Value, "",
        "Path to a kubeconfig file. Empty: $KUBECONFIG, else the in-cluster service account. 'none': run without an API server.",
        ClusterRoles);

    // 20 / 30: kube-controller-manager's --kube-api-qps / --kube-api-burst defaults (and controller-runtime's before v0.15,
    // which now disables client-side limiting and relies on API Priority and Fairness); client-go's 5 / 10 suit kubectl.
    public static readonly FlagDefinition KubeApiQps = new("kube-api-qps", FlagKind.Value, "20",
        "Client-side rate limit of requests to the API server (queries per second).", ClusterRoles, FlagValidators.PositiveNumber);

    public static readonly FlagDefinition KubeApiBurst = new("kube-api-burst", FlagKind.Value, "30",
        "Requests allowed in a burst above the QPS limit.", ClusterRoles, FlagValidators.PositiveInteger);

    // Kubernetes gives a pod terminationGracePeriodSeconds = 30 s by default after SIGTERM; 25 s leaves 5 s for exit.
    public static readonly FlagDefinition ShutdownTimeout = new("shutdown-timeout", FlagKind.Value, "25s",
        "After SIGTERM/SIGINT: how long in-flight work may take before the process exits anyway.", Any, FlagValidators.Duration);

    public static readonly FlagDefinition Policy = new("policy", FlagKind.List, null,
        "A SecurityPolicy/ClusterSecurityPolicy file or a directory of them (YAML or JSON). Without it the audit and the " +
        "webhook use the built-in set: Pod Security restricted (latest) plus the production rules.", [Audit, Webhook]);

    public static readonly FlagDefinition Format = new("format", FlagKind.Value, "table",
        "Output of the audit: table (for people), json, or sarif (SARIF 2.1.0 for code-scanning tools).", [Audit],
        FlagValidators.OneOf("table", "json", "sarif"));

    public static readonly FlagDefinition NamespaceLabels = new("namespace-labels", FlagKind.List, null,
        "Labels of a namespace for namespaceSelector matching, as NAMESPACE=KEY=VALUE[,KEY=VALUE...]; repeat per namespace.",
        [Audit, Webhook], global::SecurityOperator.Audit.NamespaceLabels.Validate);

    // 8443: the conventional unprivileged HTTPS port of admission webhooks (a Service maps 443 to it).
    public static readonly FlagDefinition Listen = new("listen", FlagKind.Value, ":8443",
        "HTTPS listener of the admission webhook (/validate, /mutate, /healthz).", [Webhook], FlagValidators.ListenAddress);

    // tls.crt/tls.key are the keys of a kubernetes.io/tls Secret; the path is where the Deployment mounts it.
    public static readonly FlagDefinition TlsCertFile = new("tls-cert-file", FlagKind.Value, "/etc/security-operator/tls/tls.crt",
        "PEM serving certificate of the webhook (reloaded when the file changes, e.g. a Secret volume update).", [Webhook]);

    public static readonly FlagDefinition TlsKeyFile = new("tls-key-file", FlagKind.Value, "/etc/security-operator/tls/tls.key",
        "PEM private key of the serving certificate (reloaded with it).", [Webhook]);

    // kube-system runs the control plane's own pods; security-operator and security-operator-node are this operator's
    // namespaces, so that a broken policy can never stop its own pods from being created.
    public static readonly FlagDefinition ExcludeNamespaces = new("exclude-namespaces", FlagKind.Value, "kube-system,security-operator,security-operator-node",
        "Comma-separated namespaces whose requests the webhook allows untouched.", [Webhook]);

    public static readonly FlagDefinition Cis = new("cis", FlagKind.Switch, "false",
        "Audit: run the CIS Kubernetes Benchmark node checks (sections 1, 2, 4) against --host-root instead of auditing manifests.", [Audit]);

    // "/" is the host itself; the node agent's pod mounts the host read-only elsewhere (e.g. /host) and passes that.
    public static readonly FlagDefinition HostRoot = new("host-root", FlagKind.Value, "/",
        "Directory holding the host's file system for the CIS node checks (/etc/kubernetes, /var/lib/kubelet, /proc).", [Audit, Node]);

    // cis-1.12 is the benchmark edition for Kubernetes 1.32-1.34, the newest this build implements.
    public static readonly FlagDefinition CisBenchmark = new("cis-benchmark", FlagKind.Value, "cis-1.12",
        "Edition of the CIS Kubernetes Benchmark to check against: cis-1.12 or cis-1.8.", [Audit, Node, Controller],
        global::SecurityOperator.Compliance.Cis.CisBenchmarkVersions.Validate);

    // The DaemonSet sets it from spec.nodeName through the downward API (SECURITY_OPERATOR_NODE_NAME); no default can know it.
    public static readonly FlagDefinition NodeName = new("node-name", FlagKind.Value, "",
        "Name of the node the agent runs on: its pods are watched with fieldSelector spec.nodeName. Required unless --kubeconfig none.", [Node]);

    // Empty: the kubelet's own top-level cgroups (kubepods.slice for the systemd driver, kubepods for cgroupfs) found
    // below the cgroup v2 mount.
    public static readonly FlagDefinition NodeContainerCgroups = new("node-container-cgroups", FlagKind.List, null,
        "cgroup v2 directory whose descendants are containers (repeat, at most 4). Default: <cgroup2 mount>/kubepods.slice and /kubepods where they exist.", [Node]);

    // true: the agent protects containers; host processes are most of a node's syscalls and would only cost CPU.
    public static readonly FlagDefinition NodeFilterContainers = new("node-filter-containers", FlagKind.Value, "true",
        "Filter in the kernel to processes below the container cgroups (false: every process on the node produces events).", [Node], FlagValidators.Boolean);

    public static readonly FlagDefinition NodeKeepHostEvents = new("node-keep-host-events", FlagKind.Switch, "false",
        "Run the rules on events of processes outside containers too (reported as 'host'); by default they are dropped.", [Node]);

    public static readonly FlagDefinition NodeDenyExec = new("node-deny-exec", FlagKind.List, null,
        "Executable path (on this host) killed with SIGKILL in the kernel when a container process executes it; repeat.", [Node]);

    public static readonly FlagDefinition NodeDenyConnect = new("node-deny-connect", FlagKind.List, null,
        "Destination CIDR[@PORT] (e.g. 169.254.169.254/32@80, 10.0.0.0/8) whose connects from containers fail with EPERM; repeat.",
        [Node], global::SecurityOperator.Runtime.DenyRules.ValidateConnect);

    // 10m: issue 6 ("during a learning window (default 10 min)"); 0 turns baselines off.
    public static readonly FlagDefinition BaselineLearning = new("baseline-learning", FlagKind.Value, "10m",
        "Learning window of each workload's behavioural baseline, from the first event of its first replica; afterwards a deviation is an anomaly alert. 0: no baselines.",
        [Node], FlagValidators.Duration);

    // 3: tells /usr/lib/python3 from /usr/lib/ssl while a container's file tree stays a few hundred entries.
    public static readonly FlagDefinition BaselinePathDepth = new("baseline-path-depth", FlagKind.Value, "3",
        "Directory components of an opened file's path that the baseline keeps (/usr/lib/python3 at 3).", [Node], FlagValidators.PositiveInteger);

    // Off: publishing creates an object per namespace and node, adds API writes and shows who talks to whom to anyone
    // who may read the reports; flow learning is an explicit choice (docs/node-agent.md).
    public static readonly FlagDefinition FlowReports = new("flow-reports", FlagKind.Value, "false",
        "Publish the connects of this node's pods as NetworkFlowReports (one per namespace and node) for NetworkPolicy generation (true or false).",
        [Node], FlagValidators.Boolean);

    // 5m: learning runs for hours or days, so minutes of delay cost nothing, and 1,000 nodes x 10 namespaces stay near 33 writes/s.
    public static readonly FlagDefinition FlowReportInterval = new("flow-report-interval", FlagKind.Value, "5m",
        "Least time between two writes of a NetworkFlowReport (only changed reports are written).", [Node], FlagValidators.Duration);

    // kube-controller-manager and kube-scheduler default --leader-elect to true; the controller runs with 3 replicas.
    public static readonly FlagDefinition LeaderElect = new("leader-elect", FlagKind.Value, "true",
        "Elect one active controller through a coordination.k8s.io Lease (true or false); the others wait with warm caches.",
        [Controller], FlagValidators.Boolean);

    // Empty: the namespace of the controller's own service account (in-cluster) or of the kubeconfig context.
    public static readonly FlagDefinition LeaderElectNamespace = new("leader-elect-namespace", FlagKind.Value, "",
        "Namespace of the leader election Lease (security-operator-controller).", [Controller]);

    // 15s / 10s / 2s: client-go's leader election defaults (k8s.io/component-base RecommendedDefaultLeaderElectionConfiguration).
    public static readonly FlagDefinition LeaderElectLeaseDuration = new("leader-elect-lease-duration", FlagKind.Value, "15s",
        "How long followers wait after the last observed change of the Lease before taking it over.", [Controller], FlagValidators.Duration);

    public static readonly FlagDefinition LeaderElectRenewDeadline = new("leader-elect-renew-deadline", FlagKind.Value, "10s",
        "How long the leader retries renewing before it stops all work (must be below the lease duration).", [Controller], FlagValidators.Duration);

    public static readonly FlagDefinition LeaderElectRetryPeriod = new("leader-elect-retry-period", FlagKind.Value, "2s",
        "Interval between acquire and renew attempts.", [Controller], FlagValidators.Duration);

    // 500: issue 5's bound on a PolicyReport (etcd objects must stay well below the 1.5 MiB request limit).
    public static readonly FlagDefinition ReportMaxResults = new("report-max-results", FlagKind.Value, "500",
        "Most results one PolicyReport lists (most severe first); the summary still counts all of them.", [Controller], FlagValidators.PositiveInteger);

    // 5s: issue 5 asks that a flapping pod rewrite a report at most once per few seconds.
    public static readonly FlagDefinition ReportInterval = new("report-interval", FlagKind.Value, "5s",
        "Least time between two writes of the same PolicyReport; changes in between are coalesced into one write.", [Controller], FlagValidators.Duration);

    // Off: issue 5, "without it the controller only reports"; evicting running workloads must be an explicit choice.
    public static readonly FlagDefinition EnforceExisting = new("enforce-existing", FlagKind.Value, "false",
        "Evict running pods that violate a deny rule of an enforce-mode policy (Eviction API, PodDisruptionBudgets respected; true or false).",
        [Controller], FlagValidators.Boolean);

    // Empty: no HTTP sink; the notify action then only has its Events. See docs/controller.md, "Notify".
    public static readonly FlagDefinition NotifyUrl = new("notify-url", FlagKind.Value, "",
        "http(s) URL the leader POSTs a JSON message to for each new finding of a rule or policy with the notify action.",
        [Controller], Controllers.Notify.NotifyFlagValidators.Url);

    public static readonly FlagDefinition NotifyTokenFile = new("notify-token-file", FlagKind.Value, "",
        "File with a bearer token for --notify-url (e.g. a mounted Secret key), read before every POST so rotations apply; empty: no token.",
        [Controller]);

    // 10s: the default timeoutSeconds of a Kubernetes admission webhook, the API server's own outbound HTTP call.
    public static readonly FlagDefinition NotifyTimeout = new("notify-timeout", FlagKind.Value, "10s",
        "Time limit of one POST attempt to --notify-url.", [Controller], Controllers.Notify.NotifyFlagValidators.PositiveDuration);

    // 3: with 1 s doubling backoff (jittered) a sink may be away about 7 s (or what its Retry-After says) before a message is lost.
    public static readonly FlagDefinition NotifyRetries = new("notify-retries", FlagKind.Value, "3",
        "Retries of a POST after a network error, timeout, 5xx or 429 (Retry-After honoured); other 4xx are not retried.",
        [Controller], Controllers.Notify.NotifyFlagValidators.Retries);

    // 1000 messages of about 1 KB: at most ~1 MB held while the sink is down.
    public static readonly FlagDefinition NotifyQueueSize = new("notify-queue-size", FlagKind.Value, "1000",
        "Messages waiting for --notify-url at most; when full the oldest is dropped (security_operator_notify_dropped_total).",
        [Controller], FlagValidators.PositiveInteger);

    // 4h: Alertmanager's default repeat_interval for an alert that is still firing.
    public static readonly FlagDefinition NotifyRenotifyInterval = new("notify-renotify-interval", FlagKind.Value, "4h",
        "A finding still open after this long is notified again; 0 notifies once per appearance.", [Controller], FlagValidators.Duration);

    // Empty: Kubernetes has no cluster name an API client could read; set it to tell clusters apart at the receiver.
    public static readonly FlagDefinition NotifyClusterName = new("notify-cluster-name", FlagKind.Value, "",
        "Value of the \"cluster\" field of notify messages (omitted when empty).", [Controller]);

    // 6h: issue 7's default; the benchmark's state changes with deployments and node configuration, not by the minute.
    public static readonly FlagDefinition ComplianceInterval = new("compliance-interval", FlagKind.Value, "6h",
        "Time between two CIS compliance scans (controller: section 5 from the API; node: sections 1, 2, 4 of --host-root); 0 turns scheduled scans off.",
        [Controller, Node], FlagValidators.Duration);

    // dry-run: issue 7, remediation is "opt-in and dry-run by default"; apply must be asked for.
    public static readonly FlagDefinition ComplianceRemediation = new("compliance-remediation", FlagKind.Value, "dry-run",
        "Compliance remediation through the API: off, dry-run (plan, log and report the actions) or apply (carry them out).",
        [Controller], global::SecurityOperator.Compliance.Remediation.RemediationModes.Validate);

    // Empty: no binding is ever deleted unless named here.
    public static readonly FlagDefinition ComplianceRemoveBindings = new("compliance-remove-bindings", FlagKind.Value, "",
        "Comma-separated ClusterRoleBinding/NAME and RoleBinding/NAMESPACE/NAME that remediation may delete when they offend CIS 5.1.1 or 5.1.5.",
        [Controller], global::SecurityOperator.Compliance.Remediation.BindingAllowList.Validate);

    public static readonly FlagDefinition Help = new("help", FlagKind.Switch, "false", "Print this help and exit.", Any);

    public static readonly FlagDefinition Version = new("version", FlagKind.Switch, "false",
        "Print the version, commit, target and whether the binary is static, and exit.", Any);

    // The SBOM is generated from packages.lock.json and the framework packs at build time (supply-chain/sbom.targets).
    public static readonly FlagDefinition Sbom = new("sbom", FlagKind.Switch, "false",
        "Print the CycloneDX 1.5 JSON SBOM of the packages built into this executable, and exit.", Any);

    // On by default: the shipped webhook manifests carry no caBundle and expect the controller to provide it. Off when
    // another tool (cert-manager's CA injector) manages the Secret and the caBundles.
    public static readonly FlagDefinition ManageWebhookCertificates = new("manage-webhook-certificates", FlagKind.Value, "true",
        "The leader creates the webhook's CA and serving certificate in a Secret, patches caBundle into the webhook configurations and rotates both.",
        [Controller], FlagValidators.Boolean);

    public static readonly IReadOnlyList<FlagDefinition> All =
    [
        Role, LogLevel, MetricsAddress, Kubeconfig, KubeApiQps, KubeApiBurst, ShutdownTimeout, Policy, Format, NamespaceLabels,
        Listen, TlsCertFile, TlsKeyFile, ExcludeNamespaces, Cis, HostRoot, CisBenchmark, NodeName, NodeContainerCgroups,
        NodeFilterContainers, NodeKeepHostEvents, NodeDenyExec, NodeDenyConnect, BaselineLearning, BaselinePathDepth, LeaderElect, LeaderElectNamespace,
        LeaderElectLeaseDuration, LeaderElectRenewDeadline, LeaderElectRetryPeriod, ReportMaxResults, ReportInterval,
        EnforceExisting, ManageWebhookCertificates, NotifyUrl, NotifyTokenFile, NotifyTimeout, NotifyRetries, NotifyQueueSize,
        NotifyRenotifyInterval, NotifyClusterName, ComplianceInterval, ComplianceRemediation, ComplianceRemoveBindings, FlowReports, FlowReportInterval, Help, Version, Sbom,
    ];

    public static FlagDefinition? Find(string name) => All.FirstOrDefault(f => f.Name == name);
}
