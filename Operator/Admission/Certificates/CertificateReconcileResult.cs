namespace SecurityOperator.Admission.Certificates;

/// <summary>What one reconcile decided and wrote. <see cref="PatchedConfigurations"/> are "kind/name".</summary>
public sealed record CertificateReconcileResult(RotationDecision Decision, bool SecretWritten, IReadOnlyList<string> PatchedConfigurations)
{
    public bool WroteAnything => SecretWritten || PatchedConfigurations.Count > 0;
}
