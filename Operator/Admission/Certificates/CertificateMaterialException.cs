namespace SecurityOperator.Admission.Certificates;

/// <summary>Certificate or key bytes that cannot be used; the message names the item and the problem.</summary>
public sealed class CertificateMaterialException(string message, Exception? inner = null) : Exception(message, inner);
