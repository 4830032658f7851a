using System.Text;

namespace SecurityOperator.Benchmarks;

/// <summary>Realistic inputs: a restricted-compliant pod with N containers (image, resources, security context, ports,
/// env, mounts, probes), its violating variant, the same template in a Deployment, and a 50-rule policy.</summary>
internal static class BenchmarkInputs
{
    private const string Container = """
        {"name":"NAME","image":"registry.company.com/team/app:1.2.3",
         "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
         "env":[{"name":"LOG_LEVEL","value":"info"},{"name":"POD_NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}],
         "resources":{"limits":{"cpu":"500m","memory":"256Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},
         "volumeMounts":[{"name":"tmp","mountPath":"/tmp"},{"name":"config","mountPath":"/etc/app","readOnly":true}],
         "livenessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10},
         "readinessProbe":{"httpGet":{"path":"/ready","port":8080}},
         "securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"readOnlyRootFilesystem":true,"runAsUser":10001},
         "imagePullPolicy":"IfNotPresent","terminationMessagePath":"/dev/termination-log"}
        """;

    private static string Template(int containers, bool violating) =>
        """{"metadata":{"name":"web","namespace":"prod","labels":{"app":"web","tier":"frontend","team":"shop"},"annotations":{"prometheus.io/scrape":"true"}},"spec":{"serviceAccountName":"web","securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},"volumes":[{"name":"tmp","emptyDir":{}},{"name":"config","configMap":{"name":"web"}}],"containers":["""
        + string.Join(",", Enumerable.Range(0, containers).Select(i =>
        {
            var c = Container.Replace("NAME", $"c{i}");
            return violating && i == 1 ? c.Replace("\"runAsUser\":10001", "\"runAsUser\":0,\"privileged\":true").Replace(":1.2.3", "") : c;
        }))
        + "]}}";

    public static byte[] Pod(int containers, bool violating = false) =>
        Encoding.UTF8.GetBytes("""{"apiVersion":"v1","kind":"Pod",""" + Template(containers, violating)[1..]);

    public static byte[] Deployment(int containers) =>
        Encoding.UTF8.GetBytes("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"prod"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":"""
            + Template(containers, false) + "}}");

    private static readonly string[] Conditions =
    [
        """{"imageNotFromRegistry":["registry.company.com","gcr.io/company-project"]}""", """{"runAsRoot":true}""",
        """{"privilegedContainer":true}""", """{"hostPath":{"allowedPrefixes":["/var/log"],"requireReadOnly":true}}""",
        """{"missingResourceLimits":["cpu","memory"]}""", """{"unsafeCapabilities":["SYS_ADMIN","NET_RAW"]}""",
        """{"exposedSecrets":true}""", """{"requiredLabels":["app","team"]}""", """{"podSecurity":{"level":"restricted","version":"v1.30"}}""",
        """{"forbiddenImages":["*:latest","docker.io/library/*"]}""",
    ];

    public static byte[] FiftyRulePolicy() => Encoding.UTF8.GetBytes(
        """{"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"big"},"spec":{"rules":["""
        + string.Join(",", Enumerable.Range(0, 50).Select(i => $$$"""{"name":"rule-{{{i}}}","conditions":[{{{Conditions[i % Conditions.Length]}}}],"actions":["deny","alert"]}"""))
        + "]}}");
}
