using System.Text.Json;
using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Policy.Compilation;

/// <summary>Parses an attestor's <c>secretRef: {name, namespace, key}</c>. name is required; key defaults to
/// cosign.pub (<see cref="AttestorSecretRef.DefaultKey"/>). namespace: in a SecurityPolicy it defaults to the policy's
/// own namespace and may not name another one (the webhook reads Secrets cluster-wide, and a namespace's policy must
/// not make it probe other namespaces' Secrets); in a ClusterSecurityPolicy it is required, as Kyverno requires it for
/// cluster policies: there is no namespace an implicit choice could sensibly mean.</summary>
internal static class AttestorSecretRefParser
{
    public const string Shape = "{name, namespace, key}";

    public static AttestorSecretRef? Parse(JsonElement value, string path, List<string> errors, PolicyScope scope, string? policyNamespace)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be {Shape}, found {ConditionParser.Show(value)}");
            return null;
        }
        var before = errors.Count;
        string? name = null, @namespace = null, key = null;
        foreach (var property in value.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            switch (property.Name)
            {
                case "name" or "namespace" or "key" when text is not { Length: > 0 }:
                    errors.Add($"{at}: must be a non-empty string, found {ConditionParser.Show(property.Value)}");
                    break;
                case "name":
                    if (IsDnsSubdomain(text!)) name = text;
                    else errors.Add($"{at}: \"{text}\" is not a Secret name (lowercase letters, digits, '-' and '.', at most 253)");
                    break;
                case "namespace":
                    if (IsDnsLabel(text!)) @namespace = text;
                    else errors.Add($"{at}: \"{text}\" is not a namespace name (lowercase letters, digits and '-', at most 63)");
                    break;
                case "key":
                    if (IsDataKey(text!)) key = text;
                    else errors.Add($"{at}: \"{text}\" is not a Secret data key (letters, digits, '-', '_' and '.', at most 253)");
                    break;
                default:
                    errors.Add($"{at}: unknown field (expected name, namespace, key)");
                    break;
            }
        }
        if (name is null && errors.Count == before) errors.Add($"{path}.name: required (the Secret holding the PEM public key)");
        if (scope == PolicyScope.Cluster && @namespace is null && errors.Count == before)
            errors.Add($"{path}.namespace: required in a ClusterSecurityPolicy (the namespace of the Secret)");
        if (scope == PolicyScope.Namespaced && @namespace is not null && policyNamespace is not null && @namespace != policyNamespace)
            errors.Add($"{path}.namespace: \"{@namespace}\" is not the policy's namespace \"{policyNamespace}\"; a SecurityPolicy only reads " +
                       "Secrets of its own namespace (use a ClusterSecurityPolicy for a shared key)");
        if (errors.Count != before) return null;
        // A namespaced policy without a namespace already has its own error (metadata.namespace).
        return new AttestorSecretRef(@namespace ?? policyNamespace ?? "", name!, key ?? AttestorSecretRef.DefaultKey);
    }

    private static bool IsDnsLabel(string s) =>
        s.Length <= 63 && char.IsAsciiLetterLower(s[0]) | char.IsAsciiDigit(s[0]) && char.IsAsciiLetterLower(s[^1]) | char.IsAsciiDigit(s[^1])
        && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static bool IsDnsSubdomain(string s) => s.Length <= 253 && s.Split('.').All(label => label.Length > 0 && IsDnsLabel(label));

    private static bool IsDataKey(string s) =>
        s.Length <= 253 && s is not ("." or "..") && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
