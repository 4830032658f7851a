using System.Globalization;
using System.Text.Json.Nodes;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Benchmarks.Controllers;

/// <summary>The cluster of the controller scale benchmark, seeded into the API server double: <see cref="Namespaces"/>
/// namespaces of 100 pods each, owned the way Kubernetes' own controllers own them (8 Deployments of 10 replicas with
/// their current and one old ReplicaSet, a StatefulSet and a DaemonSet of 6, a CronJob's Job and a Job with one pod
/// each, 6 bare pods), and 20 policies: 10 ClusterSecurityPolicies and 10 SecurityPolicies in the first 10 namespaces.
/// Pods carry what a real pod carries (two containers with env, probes, resources and mounts, the projected
/// service-account volume, tolerations, a full status), about 4.5 KB of JSON each; the double does not render
/// managedFields, which a real API server adds on top. About one workload in four violates something.</summary>
internal static class ScaleCluster
{
    public const int PodsPerNamespace = 100;

    /// <summary>Kinds served as the shipped CRDs define them (see Operator.Tests/Policy/Cluster/ShippedPolicyCluster).</summary>
    public static readonly ResourceType SecurityPolicies = ResourceCatalog.SecurityPolicies with { ShortNames = new List<string> { "secpol" } };
    public static readonly ResourceType ClusterSecurityPolicies = ResourceCatalog.ClusterSecurityPolicies with { ShortNames = new List<string>() };

    public static async Task<ApiServerDouble> StartAsync()
    {
        var api = await ApiServerDouble.StartAsync(new ApiServerDoubleOptions
        {
            RegisterCommonResources = false,
            InitialNamespaces = [],
            RequestLogCapacity = 1_000,
        });
        foreach (var type in ResourceCatalog.Common)
        {
            if (type == ResourceCatalog.SecurityPolicies || type == ResourceCatalog.ClusterSecurityPolicies) continue;
            api.Register(type);
        }
        api.Register(SecurityPolicies);
        api.Register(ClusterSecurityPolicies);
        api.Register(ResourceCatalog.PolicyReports);
        api.Register(ResourceCatalog.ClusterPolicyReports);
        api.Register(ResourceType.From(SecurityOperator.Compliance.NetworkPolicies.NetworkFlowReport.Resource));
        return api;
    }

    /// <summary>Seeds <paramref name="namespaces"/> namespaces and the 20 policies; returns the number of pods.</summary>
    public static int Seed(ApiServerDouble api, int namespaces)
    {
        var pods = 0;
        for (var n = 0; n < namespaces; n++)
        {
            var ns = $"team-{n:D3}";
            api.Seed(ResourceCatalog.Namespaces, Json($$$"""
                {"metadata":{"name":"{{{ns}}}","labels":{"kubernetes.io/metadata.name":"{{{ns}}}","environment":"{{{(n % 2 == 0 ? "production" : "staging")}}}","team":"t{{{n % 10}}}"} }}
                """));
            pods += SeedNamespace(api, ns, n);
        }
        foreach (var policy in Policies(namespaces)) api.Seed(policy.Type, policy.Object);
        return pods;
    }

    private static int SeedNamespace(ApiServerDouble api, string ns, int n)
    {
        var pods = 0;
        for (var d = 0; d < 8; d++)
        {
            var name = $"svc-{d}";
            var flaw = Flaw(n, d);
            var deployment = api.Seed(ResourceCatalog.Deployments, Workload("apps/v1", "Deployment", ns, name, flaw, null, null, 10));
            api.Seed(ResourceCatalog.ReplicaSets, Workload("apps/v1", "ReplicaSet", ns, $"{name}-6b9f7c4d5", flaw, deployment, "Deployment", 0));
            var rs = api.Seed(ResourceCatalog.ReplicaSets, Workload("apps/v1", "ReplicaSet", ns, $"{name}-7d4f8b9c6", flaw, deployment, "Deployment", 10));
            for (var i = 0; i < 10; i++) pods += Pod(api, ns, $"{name}-7d4f8b9c6-{Suffix(n, d, i)}", name, flaw, rs, "ReplicaSet");
        }
        var sts = api.Seed(ResourceCatalog.StatefulSets, Workload("apps/v1", "StatefulSet", ns, "db", Flaw(n, 8), null, null, 6));
        for (var i = 0; i < 6; i++) pods += Pod(api, ns, $"db-{i}", "db", Flaw(n, 8), sts, "StatefulSet");
        var ds = api.Seed(ResourceCatalog.DaemonSets, Workload("apps/v1", "DaemonSet", ns, "agent", Flaw(n, 9), null, null, 6));
        for (var i = 0; i < 6; i++) pods += Pod(api, ns, $"agent-{Suffix(n, 9, i)}", "agent", Flaw(n, 9), ds, "DaemonSet");
        var cron = api.Seed(ResourceCatalog.CronJobs, CronJob(ns, "backup", Flaw(n, 10)));
        var cronRun = api.Seed(ResourceCatalog.Jobs, Workload("batch/v1", "Job", ns, "backup-28906560", Flaw(n, 10), cron, "CronJob", 1));
        pods += Pod(api, ns, "backup-28906560-x7k2p", "backup", Flaw(n, 10), cronRun, "Job");
        var job = api.Seed(ResourceCatalog.Jobs, Workload("batch/v1", "Job", ns, "migrate", Flaw(n, 11), null, null, 1));
        pods += Pod(api, ns, "migrate-q8r4t", "migrate", Flaw(n, 11), job, "Job");
        for (var i = 0; i < 6; i++) pods += Pod(api, ns, $"debug-{i}", "debug", Flaw(n, 12 + i), null, null);
        return pods;
    }

    /// <summary>What is wrong with a workload (0: nothing). About a quarter of the workloads have one flaw.</summary>
    private static int Flaw(int ns, int workload) => ((ns * 7 + workload * 3) % 16) switch { 1 => 1, 5 => 2, 9 => 3, 13 => 4, _ => 0 };

    private static string Suffix(int n, int d, int i) =>
        Convert.ToHexString(BitConverter.GetBytes((n * 131 + d * 17 + i) * 2654435761u)).ToLowerInvariant()[..5];

    private static int Pod(ApiServerDouble api, string ns, string name, string app, int flaw, StoredObjectView? owner, string? ownerKind)
    {
        var metadata = new JsonObject
        {
            ["name"] = name, ["namespace"] = ns,
            ["labels"] = Labels(app, flaw),
            ["annotations"] = new JsonObject { ["prometheus.io/scrape"] = "true", ["prometheus.io/port"] = "9090", ["kubectl.kubernetes.io/restartedAt"] = "2026-11-01T08:00:00Z" },
        };
        if (owner is not null) metadata["ownerReferences"] = OwnerRefs(owner, ownerKind!);
        var spec = PodSpec(app, flaw);
        spec["nodeName"] = $"node-{name.Length % 6}";
        api.Seed(ResourceCatalog.Pods, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec });
        api.SetStatus(ResourceCatalog.Pods, ns, name, PodStatus(name));
        return 1;
    }

    private static JsonObject Labels(string app, int flaw)
    {
        var labels = new JsonObject { ["app"] = app, ["app.kubernetes.io/version"] = "1.4.2", ["pod-template-hash"] = "7d4f8b9c6" };
        if (flaw != 4) labels["team"] = "payments"; // flaw 4: no team label
        return labels;
    }

    private static JsonObject PodSpec(string app, int flaw)
    {
        var image = flaw == 2 ? $"docker.io/library/{app}:latest" : $"registry.company.com/{app}:1.4.2";
        var app0 = Json($$$"""
            {"name":"{{{app}}}","image":"{{{image}}}","imagePullPolicy":"IfNotPresent",
             "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],
             "env":[{"name":"LOG_LEVEL","value":"info"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"} }},
                    {"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"{{{app}}}-db","key":"password"} }}],
             "resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},
             "livenessProbe":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":10,"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},
             "readinessProbe":{"httpGet":{"path":"/readyz","port":8080,"scheme":"HTTP"},"timeoutSeconds":1,"periodSeconds":5,"successThreshold":1,"failureThreshold":3},
             "volumeMounts":[{"name":"config","mountPath":"/etc/app","readOnly":true},{"name":"kube-api-access-x2v9q","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],
             "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
             "securityContext":{"runAsNonRoot":true,"runAsUser":10001,"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"} }}
            """);
        if (flaw == 1) app0["securityContext"] = Json("""{"privileged":true,"capabilities":{"add":["NET_ADMIN","SYS_ADMIN"]}}""");
        if (flaw == 3) app0["securityContext"]!.AsObject().Remove("runAsNonRoot");
        if (flaw == 3) app0["securityContext"]!["runAsUser"] = 0;
        var sidecar = Json("""
            {"name":"log-shipper","image":"registry.company.com/fluent-bit:2.2.0","imagePullPolicy":"IfNotPresent",
             "resources":{"limits":{"cpu":"100m","memory":"64Mi"},"requests":{"cpu":"20m","memory":"32Mi"}},
             "volumeMounts":[{"name":"kube-api-access-x2v9q","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],
             "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
             "securityContext":{"runAsNonRoot":true,"runAsUser":10001,"allowPrivilegeEscalation":false,"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}}
            """);
        var spec = Json("""
            {"volumes":[{"name":"config","configMap":{"name":"app-config","defaultMode":420}},
                        {"name":"kube-api-access-x2v9q","projected":{"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
                          {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},
                          {"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}],"defaultMode":420}}],
             "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default","serviceAccount":"default",
             "securityContext":{"runAsNonRoot":true,"fsGroup":10001,"seccompProfile":{"type":"RuntimeDefault"}},"schedulerName":"default-scheduler",
             "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
                            {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
             "priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"}
            """);
        spec["containers"] = new JsonArray(app0, sidecar);
        if (flaw == 2) spec["hostNetwork"] = true;
        return spec;
    }

    private static JsonObject PodStatus(string name)
    {
        var ip = $"10.244.{name.Length % 250}.{(name.GetHashCode() & 0x7f) + 2}";
        return Json($$$"""
            {"phase":"Running","qosClass":"Burstable","hostIP":"172.18.0.3","podIP":"{{{ip}}}","podIPs":[{"ip":"{{{ip}}}"}],"startTime":"2026-11-01T08:00:01Z",
             "conditions":[{"type":"Initialized","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-01T08:00:01Z"},
                           {"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-01T08:00:09Z"},
                           {"type":"ContainersReady","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-01T08:00:09Z"},
                           {"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-01T08:00:01Z"}],
             "containerStatuses":[
               {"name":"app","state":{"running":{"startedAt":"2026-11-01T08:00:03Z"}},"lastState":{},"ready":true,"restartCount":0,
                "image":"registry.company.com/app:1.4.2","imageID":"registry.company.com/app@sha256:8f2b3c1d9e0a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c",
                "containerID":"containerd://4c1e9b7a2d3f5e6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a","started":true},
               {"name":"log-shipper","state":{"running":{"startedAt":"2026-11-01T08:00:04Z"}},"lastState":{},"ready":true,"restartCount":0,
                "image":"registry.company.com/fluent-bit:2.2.0","imageID":"registry.company.com/fluent-bit@sha256:1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b",
                "containerID":"containerd://9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d","started":true}]}
            """);
    }

    private static JsonObject Workload(string apiVersion, string kind, string ns, string name, int flaw, StoredObjectView? owner, string? ownerKind, int replicas)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = name } };
        if (owner is not null) metadata["ownerReferences"] = OwnerRefs(owner, ownerKind!);
        var spec = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = Labels(name, flaw) }, ["spec"] = PodSpec(name, flaw) },
        };
        if (kind != "DaemonSet" && kind != "Job") spec["replicas"] = replicas;
        if (kind == "StatefulSet") spec["serviceName"] = name;
        if (kind == "Job") spec["template"]!["spec"]!["restartPolicy"] = "Never";
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata, ["spec"] = spec };
    }

    private static JsonObject CronJob(string ns, string name, int flaw)
    {
        var job = Workload("batch/v1", "Job", ns, name, flaw, null, null, 1);
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1", ["kind"] = "CronJob", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject { ["schedule"] = "0 3 * * *", ["jobTemplate"] = new JsonObject { ["spec"] = job["spec"]!.DeepClone() } },
        };
    }

    private static JsonArray OwnerRefs(StoredObjectView owner, string kind) => new(new JsonObject
    {
        ["apiVersion"] = owner.Object["apiVersion"]!.GetValue<string>(),
        ["kind"] = kind,
        ["name"] = owner.Name,
        ["uid"] = owner.Object["metadata"]!["uid"]!.GetValue<string>(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    });

    /// <summary>10 cluster-wide and 10 namespaced policies in the three modes, 31 rules in all.</summary>
    private static IEnumerable<(ResourceType Type, JsonObject Object)> Policies(int namespaces)
    {
        (string Name, string Mode, string Targets, string Rules)[] cluster =
        [
            ("pss-baseline", "enforce", """{"namespaceSelector":{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"NotIn","values":["kube-system"]}]}}""",
                """[{"name":"pod-security-baseline","conditions":[{"podSecurity":{"level":"baseline","version":"v1.30"}}],"actions":["deny"]}]"""),
            ("pss-restricted", "dryrun", """{"namespaceSelector":{"matchLabels":{"environment":"production"}}}""",
                """[{"name":"pod-security-restricted","conditions":[{"podSecurity":{"level":"restricted","version":"latest"}}],"actions":["deny"]}]"""),
            ("no-privileged", "enforce", "{}", """[{"name":"no-privileged","conditions":[{"privilegedContainer":true}],"actions":["deny"]},{"name":"no-escalation","conditions":[{"allowPrivilegeEscalation":true}],"actions":["deny"]}]"""),
            ("host-namespaces", "enforce", "{}", """[{"name":"no-host-network","conditions":[{"hostNetwork":true}],"actions":["deny"]},{"name":"no-host-pid","conditions":[{"hostPID":true}],"actions":["deny"]},{"name":"no-host-ipc","conditions":[{"hostIPC":true}],"actions":["deny"]}]"""),
            ("host-paths", "enforce", "{}", """[{"name":"no-host-path","conditions":[{"hostPath":true}],"actions":["deny"]},{"name":"no-host-ports","conditions":[{"hostPorts":true}],"actions":["deny"]}]"""),
            ("registries", "enforce", """{"namespaceSelector":{"matchLabels":{"environment":"production"}}}""",
                """[{"name":"company-registry","conditions":[{"imageNotFromRegistry":["registry.company.com","gcr.io/company-project"]}],"actions":["deny"]}]"""),
            ("image-tags", "warn", "{}", """[{"name":"no-latest","conditions":[{"forbiddenImages":["*:latest"]}],"actions":["deny"]}]"""),
            ("ownership", "dryrun", "{}", """[{"name":"team-label","conditions":[{"requiredLabels":["app","team"]}],"actions":["deny"]}]"""),
            ("resources", "dryrun", "{}", """[{"name":"limits","conditions":[{"missingResourceLimits":true}],"actions":["deny"]},{"name":"requests","conditions":[{"missingResourceRequests":true}],"actions":["deny"]}]"""),
            ("hardening", "dryrun", "{}", """[{"name":"non-root","conditions":[{"runAsRoot":true}],"actions":["deny"]},{"name":"read-only-root","conditions":[{"readOnlyRootFilesystemMissing":true}],"actions":["deny"]},{"name":"capabilities","conditions":[{"unsafeCapabilities":true}],"actions":["deny"]}]"""),
        ];
        foreach (var (name, mode, targets, rules) in cluster)
            yield return (ClusterSecurityPolicies, Json($$$"""
                {"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"{{{name}}}"},
                 "spec":{"enforcementMode":"{{{mode}}}","targets":{{{targets}}},"rules":{{{rules}}} }}
                """));
        for (var i = 0; i < 10 && i < namespaces; i++)
            yield return (SecurityPolicies, Json($$$"""
                {"apiVersion":"security.io/v1","kind":"SecurityPolicy","metadata":{"name":"team-rules","namespace":"team-{{{i.ToString("D3", CultureInfo.InvariantCulture)}}}"},
                 "spec":{"enforcementMode":"{{{(i % 2 == 0 ? "enforce" : "dryrun")}}}","rules":[
                   {"name":"max-containers","conditions":[{"maxContainers":4}],"actions":["deny"]},
                   {"name":"secrets","conditions":[{"exposedSecrets":true}],"actions":["deny"]}]}}
                """));
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();
}
