namespace SecurityOperator.Admission.Certificates;

/// <summary>The rotation rules, as a pure function of the stored facts and the time (no I/O, no crypto):
/// <list type="number">
/// <item>No usable CA key: if the serving certificate still works, a new CA is added beside the old ones (overlap
/// keeps the running pods trusted); otherwise everything is created afresh (requests fail already).</item>
/// <item>The serving certificate is missing, unreadable, expired, for other names, not matching its key or not signed
/// by a bundle CA: a new one now, from the newest CA (no overlap to protect: TLS to the webhook fails already).</item>
/// <item>The newest CA passed its renewal point: add a new CA to the bundle (old + new).</item>
/// <item>The serving certificate is from an older CA (a rotation is under way): switch it to the newest CA once the
/// bundle holding both has been in every webhook configuration for <see cref="CertificateDurations.BundlePropagation"/>.</item>
/// <item>The serving certificate is from the newest CA and older CAs remain: drop them once the new serving
/// certificate has been out for <see cref="CertificateDurations.PreviousAuthorityRetention"/> (or they expired).</item>
/// <item>The serving certificate passed its renewal point: a new one from the same CA (the bundle already trusts it).</item>
/// </list>
/// A reconcile takes one step; the next reconcile sees its result. So a CA rotation is: add CA → (propagation) →
/// switch serving → (retention) → drop old CA, and at every moment the serving certificate in use is trusted by the
/// bundle every API server has.</summary>
public static class RotationPolicy
{
    public static RotationDecision Decide(CertificateFacts facts, DateTimeOffset now, CertificateDurations durations)
    {
        var signing = facts.SigningAuthority;
        var problems = facts.Problems.Count > 0 ? $" ({string.Join("; ", facts.Problems)})" : "";
        var servingProblem = ServingProblem(facts, now);

        var signingProblem = signing is null ? "no CA with a stored private key"
            : now >= signing.NotAfter ? $"CA {Short(signing)} expired at {signing.NotAfter:o}"
            // The newest CA is always written first; position, not NotBefore, says which is newest, so a CA made by a
            // leader whose clock ran ahead cannot make every later CA look old (and the bundle grow at every pass).
            : facts.Authorities[0].Fingerprint != signing.Fingerprint ? $"CA {Short(signing)} is not the newest (first) CA in the bundle"
            : null;
        if (signingProblem is not null)
        {
            return servingProblem is null
                ? Act(RotationAction.AddAuthority, $"{signingProblem}{problems}; the serving certificate still works, so a new CA joins the bundle beside the old", now)
                : Act(RotationAction.Bootstrap, $"{signingProblem} and {servingProblem}{problems}", now);
        }
        var ca = signing!;
        if (servingProblem is not null) return Act(RotationAction.IssueServing, $"{servingProblem}{problems}", now);
        var serving = facts.Serving!;

        var caRenewal = RenewalPoint(ca.NotBefore, ca.NotAfter, durations);
        if (now >= caRenewal)
            return Act(RotationAction.AddAuthority, $"CA {Short(ca)} passed its renewal point {caRenewal:o} (expires {ca.NotAfter:o})", now);

        if (serving.IssuerFingerprint != ca.Fingerprint)
        {
            if (facts.BundleInPlaceSince is not { } since)
                return new RotationDecision(RotationAction.None, $"waiting for every webhook configuration to carry the bundle with CA {Short(ca)}", caRenewal);
            var switchAt = CeilingToSecond(since + durations.BundlePropagation);
            if (now >= switchAt)
                return Act(RotationAction.IssueServing, $"the bundle with CA {Short(ca)} has been in every webhook configuration since {since:o}", now);
            return new RotationDecision(RotationAction.None, $"the bundle with CA {Short(ca)} propagates until {switchAt:o}", Earliest(switchAt, caRenewal));
        }

        var next = caRenewal;
        var previous = facts.Authorities.Where(a => a.Fingerprint != ca.Fingerprint).ToList();
        if (previous.Count > 0)
        {
            var dropAt = CeilingToSecond(serving.IssuedAt + durations.PreviousAuthorityRetention);
            if (now >= dropAt || previous.All(a => now >= a.NotAfter))
                return Act(RotationAction.DropPreviousAuthorities,
                    $"the serving certificate from CA {Short(ca)} has been out since {serving.IssuedAt:o}; {previous.Count} previous CA(s) leave the bundle", now);
            next = Earliest(next, dropAt);
        }

        var servingRenewal = RenewalPoint(serving.IssuedAt, serving.NotAfter, durations);
        if (now >= servingRenewal)
            return Act(RotationAction.IssueServing, $"the serving certificate passed its renewal point {servingRenewal:o} (expires {serving.NotAfter:o})", now);
        return new RotationDecision(RotationAction.None, "certificates are current", Earliest(next, servingRenewal));
    }

    /// <summary>The moment a certificate valid from <paramref name="from"/> to <paramref name="to"/> is renewed.</summary>
    /// <summary>Rounded up to a whole second: decisions are taken on whole seconds (X.509 times have no fractions), so a
    /// due time with a fraction would never be reached by a clock truncated to seconds.</summary>
    public static DateTimeOffset RenewalPoint(DateTimeOffset from, DateTimeOffset to, CertificateDurations durations) =>
        CeilingToSecond(from + (to - from) * durations.RenewAtFraction);

    private static DateTimeOffset CeilingToSecond(DateTimeOffset time)
    {
        var remainder = time.UtcTicks % TimeSpan.TicksPerSecond;
        return remainder == 0 ? time : new DateTimeOffset(time.UtcTicks - remainder + TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private static string? ServingProblem(CertificateFacts facts, DateTimeOffset now)
    {
        if (facts.Serving is not { } serving) return "no readable serving certificate";
        if (!serving.KeyMatches) return "the serving key does not belong to the serving certificate";
        if (!serving.NamesMatch) return "the serving certificate is not for the webhook Service's DNS names";
        if (now >= serving.NotAfter) return $"the serving certificate expired at {serving.NotAfter:o}";
        if (now < serving.IssuedAt - CertificateDurations.Backdate) return $"the serving certificate is not valid before {serving.IssuedAt - CertificateDurations.Backdate:o}";
        var issuer = facts.Authorities.FirstOrDefault(a => a.Fingerprint == serving.IssuerFingerprint);
        if (issuer is null) return "the serving certificate is not signed by a CA in the bundle";
        if (now >= issuer.NotAfter) return $"the CA of the serving certificate expired at {issuer.NotAfter:o}";
        return null;
    }

    private static RotationDecision Act(RotationAction action, string reason, DateTimeOffset now) => new(action, reason, now);

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Short(AuthorityFacts authority) => authority.Fingerprint[..Math.Min(12, authority.Fingerprint.Length)];
}
