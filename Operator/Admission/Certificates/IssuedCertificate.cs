namespace SecurityOperator.Admission.Certificates;

/// <summary>A certificate and its private key, both PEM (PKCS#8 key), as they are stored in the Secret.</summary>
public sealed record IssuedCertificate(string CertificatePem, string PrivateKeyPem);
