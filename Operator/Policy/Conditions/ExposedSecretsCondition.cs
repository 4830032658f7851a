using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.Conditions;

/// <summary>exposedSecrets flags, per container:
/// (1) a literal env value (env[].value, non-empty) whose variable NAME contains, ignoring case, PASSWORD, PASSWD,
///     SECRET, TOKEN, API_KEY, APIKEY, ACCESS_KEY, PRIVATE_KEY or CREDENTIAL — unless the name ends in _FILE, _PATH or
///     _DIR or the value is an absolute path: the widespread *_FILE convention (postgres, mysql, Docker secrets) passes
///     the path of a mounted secret, not the secret;
/// (2) a literal env value, whatever its name, that contains a well-known credential format: AWS access key id
///     (AKIA/ASIA + 16 upper-case letters or digits), GitHub token (ghp_, gho_, ghu_, ghs_, ghr_ + 36 characters, or
///     github_pat_), Slack token (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-), a PEM private key header ("-----BEGIN" ... "PRIVATE
///     KEY-----"), a JWT (eyJ... . eyJ... . signature), a Google API key (AIza + 35 characters), a Stripe live key (sk_live_);
/// (3) a Secret passed as environment (env[].valueFrom.secretKeyRef or envFrom[].secretRef): environment variables leak
///     into child processes, crash dumps and `kubectl describe`; mount the Secret as a volume instead.</summary>
public sealed class ExposedSecretsCondition() : Condition(ConditionKind.ExposedSecrets)
{
    internal const int SuspiciousName = 0, TokenFormat = 1, SecretAsEnv = 2, SecretsAsEnvFrom = 3;

    private static readonly byte[][] NamePatterns =
        ["PASSWORD"u8.ToArray(), "PASSWD"u8.ToArray(), "SECRET"u8.ToArray(), "TOKEN"u8.ToArray(), "API_KEY"u8.ToArray(),
         "APIKEY"u8.ToArray(), "ACCESS_KEY"u8.ToArray(), "PRIVATE_KEY"u8.ToArray(), "CREDENTIAL"u8.ToArray()];

    public override void Evaluate(ref ConditionContext context)
    {
        var facts = context.Facts;
        var containers = facts.Containers.AsSpan();
        for (var i = 0; i < containers.Length; i++)
        {
            foreach (var env in facts.EnvOf(containers[i]))
            {
                switch (env.Source)
                {
                    case EnvSource.Literal when env.Value.Length > 0:
                        if (CredentialFormats.Find(facts.Text(env.Value)) is var format and >= 0)
                            context.Report(Kind, i, FieldId.EnvValue, env.Name, TokenFormat * 100 + format, env.IndexInContainer);
                        else if (NameLooksSecret(facts.Text(env.Name)) && !PointsAtAFile(facts.Text(env.Name), facts.Text(env.Value)))
                            context.Report(Kind, i, FieldId.EnvValue, env.Name, SuspiciousName, env.IndexInContainer);
                        break;
                    case EnvSource.SecretKeyRef:
                        context.Report(Kind, i, FieldId.EnvSecretKeyRef, env.Name, SecretAsEnv, env.IndexInContainer);
                        break;
                    case EnvSource.EnvFromSecret:
                        context.Report(Kind, i, FieldId.EnvFromSecret, env.SecretName, SecretsAsEnvFrom, env.IndexInContainer);
                        break;
                }
            }
        }
    }

    /// <summary>The variable passes where a secret is (a *_FILE/_PATH/_DIR name or an absolute path), not the secret.</summary>
    private static bool PointsAtAFile(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        value[0] == (byte)'/' || EndsWithIgnoreCase(name, "_FILE"u8) || EndsWithIgnoreCase(name, "_PATH"u8) || EndsWithIgnoreCase(name, "_DIR"u8);

    private static bool EndsWithIgnoreCase(ReadOnlySpan<byte> name, ReadOnlySpan<byte> upperSuffix) =>
        name.Length >= upperSuffix.Length && System.Text.Ascii.EqualsIgnoreCase(name[^upperSuffix.Length..], upperSuffix);

    private static bool NameLooksSecret(ReadOnlySpan<byte> name)
    {
        Span<byte> upper = stackalloc byte[256];
        if (name.Length > upper.Length) name = name[..upper.Length];
        System.Text.Ascii.ToUpper(name, upper, out var written);
        upper = upper[..written];
        foreach (var pattern in NamePatterns)
            if (upper.IndexOf(pattern) >= 0) return true;
        return false;
    }

    public override (string Message, string Fix) Describe(in Violation violation, PodFacts facts)
    {
        var name = facts.String(violation.Value);
        return (violation.Detail / 100) switch
        {
            TokenFormat => ($"env {name} holds a literal {CredentialFormats.Name(violation.Detail % 100)}", "move the credential to a Secret mounted as a volume and rotate it: it is exposed in the manifest"),
            _ => violation.Detail switch
            {
                SuspiciousName => ($"env {name} looks like a credential and has a literal value", "move the value to a Secret mounted as a volume"),
                SecretAsEnv => ($"env {name} takes a Secret through valueFrom.secretKeyRef", "mount the Secret as a volume and read it from a file"),
                _ => ($"envFrom imports Secret \"{name}\" as environment variables", "mount the Secret as a volume and read it from files"),
            },
        };
    }
}
