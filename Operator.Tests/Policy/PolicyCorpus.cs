using System.Text;

namespace SecurityOperator.Tests.Policy;

/// <summary>Generated inputs shared by tests (the benchmarks build the same shapes).</summary>
internal static class PolicyCorpus
{
    private static readonly string[] Conditions =
    [
        """{"imageNotFromRegistry":["registry.company.com","gcr.io/company-project"]}""", """{"runAsRoot":true}""",
        """{"privilegedContainer":true}""", """{"hostPath":{"allowedPrefixes":["/var/log"],"requireReadOnly":true}}""",
        """{"missingResourceLimits":["cpu","memory"]}""", """{"unsafeCapabilities":["SYS_ADMIN","NET_RAW"]}""",
        """{"exposedSecrets":true}""", """{"requiredLabels":["app","team"]}""", """{"podSecurity":{"level":"restricted","version":"v1.30"}}""",
        """{"forbiddenImages":["*:latest","docker.io/library/*"]}""",
    ];

    public static byte[] FiftyRulePolicy()
    {
        var rules = string.Join(",", Enumerable.Range(0, 50).Select(i =>
            $$"""{"name":"rule-{{i}}","conditions":[{{Conditions[i % Conditions.Length]}}],"actions":["deny","alert"]}"""));
        return Encoding.UTF8.GetBytes("""{"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"big"},"spec":{"rules":[""" + rules + "]}}");
    }
}
