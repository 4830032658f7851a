using System.Text;
using SecurityOperator.Policy.Compilation;

namespace SecurityOperator.Compliance.Rbac;

/// <summary>The policy the 5.2.x checks run through the policy engine (the same evaluator as the webhook): one rule per
/// check, named by the check id so violations map back to it.</summary>
public static class HostNamespacePolicy
{
    private const string Json = """
    {
      "apiVersion": "security.io/v1",
      "kind": "ClusterSecurityPolicy",
      "metadata": {"name": "cis-section-5-2"},
      "spec": {
        "rules": [
          {"name": "cis-5-2-2", "conditions": [{"privilegedContainer": true}], "actions": ["alert"]},
          {"name": "cis-5-2-3", "conditions": [{"hostPID": true}], "actions": ["alert"]},
          {"name": "cis-5-2-4", "conditions": [{"hostIPC": true}], "actions": ["alert"]},
          {"name": "cis-5-2-5", "conditions": [{"hostNetwork": true}], "actions": ["alert"]}
        ]
      }
    }
    """;

    private static readonly Lazy<CompiledPolicySet> Compiled = new(() =>
    {
        var compilation = PolicyCompiler.Compile(Encoding.UTF8.GetBytes(Json));
        return new CompiledPolicySet([compilation.Policy ?? throw new InvalidOperationException(
            "built-in section 5.2 policy does not compile: " + string.Join("; ", compilation.Errors))]);
    });

    public static CompiledPolicySet Set => Compiled.Value;

    /// <summary>"cis-5-2-3" → "5.2.3".</summary>
    public static string CheckIdOf(string rule) => rule["cis-".Length..].Replace('-', '.');
}
