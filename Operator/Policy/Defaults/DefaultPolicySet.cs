using System.Text;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Policy.Defaults;

/// <summary>The built-in policy used by <c>--role audit</c> when no <c>--policy</c> is given: Pod Security Standards
/// restricted at latest, plus the production rules of the design example (issue 3): no root containers, resource
/// limits (with the example's setDefaults), and image and secret hygiene as alerts. The example's trusted-registries
/// rule is left out: its registry list is site-specific, so a default cannot know it.</summary>
public static class DefaultPolicySet
{
    public const string Name = "security-operator-default";

    public const string Json = """
    {
      "apiVersion": "security.io/v1",
      "kind": "ClusterSecurityPolicy",
      "metadata": {"name": "security-operator-default"},
      "spec": {
        "enforcementMode": "enforce",
        "rules": [
          {"name": "pod-security-restricted",
           "description": "Pod Security Standards, restricted profile, latest version",
           "conditions": [{"podSecurity": {"level": "restricted", "version": "latest"}}],
           "actions": ["deny"]},
          {"name": "no-root-containers",
           "description": "Prevent containers running as root",
           "conditions": [{"runAsRoot": true}],
           "actions": ["deny"]},
          {"name": "resource-limits",
           "description": "Every container declares cpu and memory limits",
           "conditions": [{"missingResourceLimits": true}],
           "actions": ["alert", {"mutate": {"setDefaults": {"limits": {"cpu": "1000m", "memory": "1Gi"}, "requests": {"cpu": "100m", "memory": "128Mi"}}}}]},
          {"name": "pinned-images",
           "description": "Images carry a version tag or a digest, never latest",
           "conditions": [{"imageTagLatestOrMissing": true}],
           "actions": ["alert"]},
          {"name": "no-exposed-secrets",
           "description": "No credentials in literal env values; Secrets mounted as volumes, not env",
           "conditions": [{"exposedSecrets": true}],
           "actions": ["alert"]}
        ]
      }
    }
    """;

    private static readonly Lazy<CompiledPolicy> Compiled = new(() =>
    {
        var compilation = PolicyCompiler.Compile(Encoding.UTF8.GetBytes(Json));
        return compilation.Policy ?? throw new InvalidOperationException("built-in policy does not compile: " + string.Join("; ", compilation.Errors));
    });

    public static CompiledPolicy Policy => Compiled.Value;

    public static CompiledPolicySet Set => new([Policy]);
}
