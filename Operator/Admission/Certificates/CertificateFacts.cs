namespace SecurityOperator.Admission.Certificates;

/// <summary>One CA of the trust bundle: its identity (SHA-256 fingerprint) and validity.</summary>
public sealed record AuthorityFacts(string Fingerprint, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

/// <summary>The serving certificate as the rotation logic needs it. <see cref="IssuedAt"/> is NotBefore plus the
/// backdate. <see cref="IssuerFingerprint"/> is the bundle CA whose key verifies it (null: none does).</summary>
public sealed record ServingFacts(DateTimeOffset IssuedAt, DateTimeOffset NotAfter, string? IssuerFingerprint, bool NamesMatch, bool KeyMatches);

/// <summary>Everything the rotation decision looks at, with no certificate objects in it, so the decision is a pure
/// function of these facts and the time.</summary>
/// <param name="Authorities">The CAs of the stored bundle (ca.crt), in stored order.</param>
/// <param name="SigningAuthority">The bundle CA whose private key is stored (ca.key), or null.</param>
/// <param name="Serving">The stored serving certificate, or null when missing or unreadable.</param>
/// <param name="BundleInPlaceSince">Since when every webhook configuration has carried exactly this bundle, or null
/// when some configuration does not carry it (or that is not known).</param>
/// <param name="Problems">What was wrong with the stored material (unreadable items), for the log and the reason.</param>
public sealed record CertificateFacts(
    IReadOnlyList<AuthorityFacts> Authorities,
    AuthorityFacts? SigningAuthority,
    ServingFacts? Serving,
    DateTimeOffset? BundleInPlaceSince,
    IReadOnlyList<string> Problems);
