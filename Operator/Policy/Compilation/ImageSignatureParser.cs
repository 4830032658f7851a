using System.Text.Json;
using SecurityOperator.Policy.Conditions;
using SecurityOperator.Signing;

namespace SecurityOperator.Policy.Compilation;

/// <summary>Parses <c>imageSignature: {images: [globs], attestors: [{name, publicKey | secretRef}], required: N,
/// mutateDigest: bool, failurePolicy: fail|ignore}</c> (secretRef: see <see cref="AttestorSecretRefParser"/>). required defaults to every attestor (Kyverno's verifyImages count default: all);
/// mutateDigest to false; failurePolicy to fail (see <see cref="ImageSignatureFailurePolicy"/>).</summary>
internal static class ImageSignatureParser
{
    public static Condition? Parse(JsonElement value, string path, List<string> errors, PolicyScope scope, string? policyNamespace)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path}: must be {{images: [...], attestors: [{{name, publicKey}}], required: N, mutateDigest: bool}}, found {ConditionParser.Show(value)}");
            return null;
        }
        var before = errors.Count;
        List<string>? images = null;
        var attestors = new List<ImageSignatureAttestor>();
        int? required = null;
        var mutateDigest = false;
        var failurePolicy = ImageSignatureFailurePolicy.Fail;
        var sawAttestors = false;
        var sawImages = false;
        foreach (var property in value.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "images":
                    sawImages = true;
                    images = ConditionParser.StringList(property.Value, at, "must be a non-empty list of image patterns (* and ? wildcards)", errors);
                    break;
                case "attestors":
                    sawAttestors = true;
                    ParseAttestors(property.Value, at, attestors, errors, scope, policyNamespace);
                    break;
                case "required":
                    if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var n) && n > 0) required = n;
                    else errors.Add($"{at}: must be a positive integer, found {ConditionParser.Show(property.Value)}");
                    break;
                case "mutateDigest":
                    if (property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) mutateDigest = property.Value.GetBoolean();
                    else errors.Add($"{at}: must be true or false, found {ConditionParser.Show(property.Value)}");
                    break;
                case "failurePolicy":
                    switch (property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null)
                    {
                        case "fail": failurePolicy = ImageSignatureFailurePolicy.Fail; break;
                        case "ignore": failurePolicy = ImageSignatureFailurePolicy.Ignore; break;
                        default:
                            errors.Add($"{at}: must be fail or ignore (what a registry that cannot be reached means), found {ConditionParser.Show(property.Value)}");
                            break;
                    }
                    break;
                default:
                    errors.Add($"{at}: unknown field (expected images, attestors, required, mutateDigest, failurePolicy)");
                    break;
            }
        }
        if (!sawImages) errors.Add($"{path}.images: required (e.g. [\"registry.example.com/team/*\"])");
        if (!sawAttestors) errors.Add($"{path}.attestors: required (a list of {{name, publicKey}} or {{name, secretRef}})");
        if (required > attestors.Count && errors.Count == before)
            errors.Add($"{path}.required: {required} is more than the {attestors.Count} attestor(s)");
        if (errors.Count != before)
        {
            foreach (var a in attestors) a.Key?.Dispose();
            return null;
        }
        return new ImageSignatureCondition(images!, attestors, required ?? attestors.Count, mutateDigest, failurePolicy);
    }

    private static void ParseAttestors(JsonElement value, string path, List<ImageSignatureAttestor> attestors, List<string> errors,
        PolicyScope scope, string? policyNamespace)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            errors.Add($"{path}: must be a non-empty list of {{name, publicKey}} or {{name, secretRef}}");
            return;
        }
        var index = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        var secretRefs = new HashSet<AttestorSecretRef>();
        foreach (var item in value.EnumerateArray())
        {
            var at = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{at}: must be {{name, publicKey}} or {{name, secretRef}}, found {ConditionParser.Show(item)}");
                continue;
            }
            string? name = null, pem = null;
            AttestorSecretRef? secretRef = null;
            var sawSecretRef = false;
            foreach (var property in item.EnumerateObject())
            {
                var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                switch (property.Name)
                {
                    case "secretRef":
                        sawSecretRef = true;
                        secretRef = AttestorSecretRefParser.Parse(property.Value, $"{at}.secretRef", errors, scope, policyNamespace);
                        break;
                    case "name" when text is { Length: > 0 }: name = text; break;
                    case "publicKey" when text is { Length: > 0 }: pem = text; break;
                    case "name" or "publicKey":
                        errors.Add($"{at}.{property.Name}: must be a non-empty string, found {ConditionParser.Show(property.Value)}");
                        break;
                    default:
                        errors.Add($"{at}.{property.Name}: unknown field (expected name, publicKey, secretRef)");
                        break;
                }
            }
            if (name is null) { errors.Add($"{at}.name: required"); continue; }
            if (!names.Add(name)) { errors.Add($"{at}.name: \"{name}\" is used by another attestor"); continue; }
            if (pem is not null && sawSecretRef) { errors.Add($"{at}: publicKey and secretRef are exclusive (give the key inline or in a Secret)"); continue; }
            if (sawSecretRef)
            {
                // The key itself is read at admission time; a bad secretRef was reported above.
                if (secretRef is null) continue;
                if (!secretRefs.Add(secretRef)) errors.Add($"{at}.secretRef: {secretRef} is used by another attestor (it would count twice toward required)");
                else attestors.Add(new ImageSignatureAttestor(name, null, secretRef));
                continue;
            }
            if (pem is null) { errors.Add($"{at}: publicKey (a PEM ECDSA P-256 public key) or secretRef {AttestorSecretRefParser.Shape} required"); continue; }
            VerificationKey key;
            try
            {
                key = SigningKeys.LoadPublicKey(pem, $"attestor {name}");
            }
            catch (SigningKeyException e)
            {
                errors.Add($"{at}.publicKey: {e.Message}");
                continue;
            }
            if (!fingerprints.Add(key.Fingerprint))
            {
                errors.Add($"{at}.publicKey: the same key as another attestor (it would count twice toward required)");
                key.Dispose();
                continue;
            }
            attestors.Add(new ImageSignatureAttestor(name, key));
        }
    }
}
