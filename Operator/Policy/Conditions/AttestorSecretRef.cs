namespace SecurityOperator.Policy.Conditions;

/// <summary>Where an attestor's public key is kept when it is not inline: <c>secretRef: {name, namespace, key}</c>,
/// the PEM public key under data[<see cref="Key"/>] of Secret <see cref="Namespace"/>/<see cref="Name"/>. The webhook
/// reads it through the API at admission time (see AttestorKeyResolver), so a rotated key needs no policy change.</summary>
public sealed record AttestorSecretRef(string Namespace, string Name, string Key)
{
    /// <summary>The data key when none is given: <c>cosign generate-key-pair k8s://NAMESPACE/NAME</c> stores the public
    /// key as cosign.pub (next to cosign.key and cosign.password), so such a Secret works as is.</summary>
    public const string DefaultKey = "cosign.pub";

    public override string ToString() => $"Secret {Namespace}/{Name} key {Key}";
}
