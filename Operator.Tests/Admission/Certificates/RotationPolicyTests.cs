using SecurityOperator.Admission.Certificates;

namespace SecurityOperator.Tests.Admission.Certificates;

/// <summary>The rotation rules on plain facts and a hand-moved clock: every branch, and the boundaries in time.</summary>
public class RotationPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CertificateDurations D = new();

    private static AuthorityFacts Ca(string id, DateTimeOffset created) => new(id, created - CertificateDurations.Backdate, created + D.AuthorityValidity);

    private static ServingFacts Serving(string issuer, DateTimeOffset issued, bool names = true, bool key = true) =>
        new(issued, issued + D.ServingValidity, issuer, names, key);

    private static CertificateFacts Facts(IReadOnlyList<AuthorityFacts> cas, AuthorityFacts? signing, ServingFacts? serving, DateTimeOffset? inPlace = null) =>
        new(cas, signing, serving, inPlace, []);

    private static RotationDecision Decide(CertificateFacts facts, DateTimeOffset now) => RotationPolicy.Decide(facts, now, D);

    [Fact]
    public void An_empty_secret_is_bootstrapped()
    {
        var decision = Decide(Facts([], null, null), T0);
        Assert.Equal(RotationAction.Bootstrap, decision.Action);
        Assert.Contains("no CA with a stored private key", decision.Reason);
        Assert.Contains("no readable serving certificate", decision.Reason);
    }

    [Fact]
    public void Current_certificates_need_nothing_and_name_the_next_due_time()
    {
        var ca = Ca("A", T0);
        var decision = Decide(Facts([ca], ca, Serving("A", T0), T0), T0 + TimeSpan.FromDays(1));
        Assert.Equal(RotationAction.None, decision.Action);
        // The serving certificate's renewal point (60 of 90 days) comes before the CA's (243 of 365 days).
        Assert.Equal(T0 + TimeSpan.FromDays(60), decision.NextCheckAt);
    }

    [Fact]
    public void The_serving_certificate_is_renewed_at_two_thirds_of_its_life_from_the_same_CA()
    {
        var ca = Ca("A", T0);
        var facts = Facts([ca], ca, Serving("A", T0), T0);
        Assert.Equal(RotationAction.None, Decide(facts, T0 + TimeSpan.FromDays(60) - TimeSpan.FromSeconds(1)).Action);
        var due = Decide(facts, T0 + TimeSpan.FromDays(60));
        Assert.Equal(RotationAction.IssueServing, due.Action);
        Assert.Contains("renewal point", due.Reason);
    }

    [Fact]
    public void The_CA_is_rotated_at_two_thirds_of_its_life_by_adding_a_new_CA_first()
    {
        var ca = Ca("A", T0);
        var caRenewal = RotationPolicy.RenewalPoint(ca.NotBefore, ca.NotAfter, D);
        var issued = caRenewal - TimeSpan.FromDays(10);
        var facts = Facts([ca], ca, Serving("A", issued), T0);
        var before = Decide(facts, caRenewal - TimeSpan.FromSeconds(1));
        Assert.Equal(RotationAction.None, before.Action);
        Assert.Equal(caRenewal, before.NextCheckAt);
        var due = Decide(facts, caRenewal);
        Assert.Equal(RotationAction.AddAuthority, due.Action);
        Assert.Contains("passed its renewal point", due.Reason);
    }

    [Fact]
    public void The_serving_certificate_switches_to_the_new_CA_only_after_the_bundle_was_in_place_for_the_propagation_period()
    {
        var old = Ca("A", T0);
        var now = T0 + TimeSpan.FromDays(250);
        var fresh = Ca("B", now);
        var serving = Serving("A", now - TimeSpan.FromDays(10));

        var notInPlace = Decide(Facts([fresh, old], fresh, serving, inPlace: null), now + TimeSpan.FromDays(1));
        Assert.Equal(RotationAction.None, notInPlace.Action);
        Assert.Contains("waiting for every webhook configuration", notInPlace.Reason);

        var inPlace = Facts([fresh, old], fresh, serving, inPlace: now);
        var waiting = Decide(inPlace, now + D.BundlePropagation - TimeSpan.FromSeconds(1));
        Assert.Equal(RotationAction.None, waiting.Action);
        Assert.Equal(now + D.BundlePropagation, waiting.NextCheckAt);
        Assert.Equal(RotationAction.IssueServing, Decide(inPlace, now + D.BundlePropagation).Action);
    }

    [Fact]
    public void A_due_serving_renewal_waits_for_the_bundle_while_a_new_CA_propagates()
    {
        var old = Ca("A", T0);
        var fresh = Ca("B", T0 + TimeSpan.FromDays(250));
        // The serving certificate from A is past its own renewal point but still valid: it is not renewed from A.
        var serving = Serving("A", T0 + TimeSpan.FromDays(185));
        var decision = Decide(Facts([fresh, old], fresh, serving, inPlace: null), T0 + TimeSpan.FromDays(250));
        Assert.Equal(RotationAction.None, decision.Action);
    }

    [Fact]
    public void The_previous_CA_is_dropped_after_the_retention_period_following_the_switch()
    {
        var old = Ca("A", T0);
        var switched = T0 + TimeSpan.FromDays(251);
        var fresh = Ca("B", T0 + TimeSpan.FromDays(250));
        var facts = Facts([fresh, old], fresh, Serving("B", switched), switched);
        var before = Decide(facts, switched + D.PreviousAuthorityRetention - TimeSpan.FromSeconds(1));
        Assert.Equal(RotationAction.None, before.Action);
        Assert.Equal(switched + D.PreviousAuthorityRetention, before.NextCheckAt);
        var due = Decide(facts, switched + D.PreviousAuthorityRetention);
        Assert.Equal(RotationAction.DropPreviousAuthorities, due.Action);
        Assert.Contains("1 previous CA(s)", due.Reason);
    }

    [Fact]
    public void An_expired_previous_CA_is_dropped_without_waiting()
    {
        var old = new AuthorityFacts("A", T0 - TimeSpan.FromDays(10), T0 + TimeSpan.FromDays(1));
        var fresh = Ca("B", T0);
        var issued = T0 + TimeSpan.FromDays(1);
        Assert.Equal(RotationAction.DropPreviousAuthorities,
            Decide(Facts([fresh, old], fresh, Serving("B", issued), T0), issued + TimeSpan.FromMinutes(1)).Action);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("names")]
    [InlineData("key")]
    [InlineData("unsigned")]
    [InlineData("expired")]
    public void A_serving_certificate_that_cannot_work_is_replaced_at_once_even_mid_rotation(string fault)
    {
        var old = Ca("A", T0);
        var fresh = Ca("B", T0 + TimeSpan.FromDays(250));
        var now = T0 + TimeSpan.FromDays(250) + TimeSpan.FromMinutes(1);
        ServingFacts? serving = fault switch
        {
            "missing" => null,
            "names" => Serving("A", T0 + TimeSpan.FromDays(200), names: false),
            "key" => Serving("A", T0 + TimeSpan.FromDays(200), key: false),
            "unsigned" => Serving("X", T0 + TimeSpan.FromDays(200)),
            _ => Serving("A", T0 + TimeSpan.FromDays(100)),
        };
        var decision = Decide(Facts([fresh, old], fresh, serving, inPlace: null), now);
        Assert.Equal(RotationAction.IssueServing, decision.Action);
    }

    [Fact]
    public void A_lost_CA_key_with_a_working_serving_certificate_starts_an_overlapping_rotation()
    {
        var ca = Ca("A", T0);
        var decision = Decide(new CertificateFacts([ca], null, Serving("A", T0), T0, ["ca.key: not a PEM ECDSA private key"]), T0 + TimeSpan.FromDays(3));
        Assert.Equal(RotationAction.AddAuthority, decision.Action);
        Assert.Contains("not a PEM ECDSA private key", decision.Reason);
    }

    [Fact]
    public void A_lost_CA_key_with_a_broken_serving_certificate_bootstraps()
    {
        var ca = Ca("A", T0);
        Assert.Equal(RotationAction.Bootstrap, Decide(Facts([ca], null, Serving("A", T0, key: false), T0), T0 + TimeSpan.FromDays(3)).Action);
    }

    [Fact]
    public void An_expired_CA_bootstraps_because_nothing_it_signed_works_any_more()
    {
        var ca = new AuthorityFacts("A", T0, T0 + TimeSpan.FromDays(30));
        var decision = Decide(Facts([ca], ca, Serving("A", T0), T0), T0 + TimeSpan.FromDays(31));
        Assert.Equal(RotationAction.Bootstrap, decision.Action);
        Assert.Contains("expired", decision.Reason);
    }

    [Fact]
    public void A_key_for_another_CA_than_the_first_in_the_bundle_starts_a_new_rotation()
    {
        var old = Ca("A", T0);
        var newer = Ca("B", T0 + TimeSpan.FromDays(1));
        var decision = Decide(Facts([newer, old], old, Serving("A", T0), T0), T0 + TimeSpan.FromDays(2));
        Assert.Equal(RotationAction.AddAuthority, decision.Action);
        Assert.Contains("not the newest (first) CA", decision.Reason);
    }

    [Fact]
    public void A_CA_dated_in_the_future_by_a_skewed_clock_does_not_make_the_first_CA_look_old()
    {
        var skewed = new AuthorityFacts("A", T0 + TimeSpan.FromHours(2), T0 + TimeSpan.FromDays(365));
        var fresh = Ca("B", T0);
        var decision = Decide(Facts([fresh, skewed], fresh, Serving("A", T0), inPlace: null), T0 + TimeSpan.FromHours(3));
        Assert.Equal(RotationAction.None, decision.Action);
    }

    [Fact]
    public void Durations_that_cannot_overlap_are_rejected_naming_the_setting()
    {
        Assert.Contains("RenewAtFraction", Assert.Throws<ArgumentException>(() => new CertificateDurations { RenewAtFraction = 1 }.Validate()).Message);
        Assert.Contains("AuthorityValidity", Assert.Throws<ArgumentException>(() =>
            new CertificateDurations { AuthorityValidity = TimeSpan.FromHours(3) }.Validate()).Message);
        new CertificateDurations().Validate();
    }

    /// <summary>A whole life on facts alone: apply each decision to the facts the way the manager would, every hour for
    /// 700 days, and check that the serving certificate is always valid and issued by a CA in the bundle, and that the
    /// serving certificate only ever switches CA after the bundle had the new CA for the propagation period.</summary>
    [Fact]
    public void Seven_hundred_days_hour_by_hour_keep_a_trusted_valid_serving_certificate()
    {
        var now = T0;
        var counter = 0;
        List<AuthorityFacts> bundle = [];
        AuthorityFacts? signing = null;
        ServingFacts? serving = null;
        DateTimeOffset? inPlace = null;
        var actions = new List<RotationAction>();
        for (; now < T0 + TimeSpan.FromDays(700); now += TimeSpan.FromHours(1))
        {
            var decision = Decide(Facts(bundle, signing, serving, inPlace), now);
            switch (decision.Action)
            {
                case RotationAction.Bootstrap:
                    signing = Ca($"ca{++counter}", now);
                    bundle = [signing];
                    serving = Serving(signing.Fingerprint, now);
                    inPlace = now;
                    break;
                case RotationAction.AddAuthority:
                    signing = Ca($"ca{++counter}", now);
                    bundle = [signing, .. bundle];
                    inPlace = now;
                    break;
                case RotationAction.IssueServing:
                    if (serving!.IssuerFingerprint != signing!.Fingerprint) Assert.True(now - inPlace!.Value >= D.BundlePropagation);
                    serving = Serving(signing.Fingerprint, now);
                    break;
                case RotationAction.DropPreviousAuthorities:
                    Assert.True(now - serving!.IssuedAt >= D.PreviousAuthorityRetention);
                    bundle = [signing!];
                    inPlace = now;
                    break;
            }
            if (decision.Action != RotationAction.None) actions.Add(decision.Action);
            Assert.NotNull(serving);
            Assert.True(now < serving!.NotAfter, $"serving certificate expired at {now:o}");
            Assert.Contains(bundle, a => a.Fingerprint == serving.IssuerFingerprint && now < a.NotAfter);
        }
        Assert.Equal(RotationAction.Bootstrap, actions[0]);
        Assert.Equal(2, actions.Count(a => a == RotationAction.AddAuthority));            // at ~243 and ~486 days
        Assert.Equal(2, actions.Count(a => a == RotationAction.DropPreviousAuthorities));
        Assert.Equal(1, actions.Count(a => a == RotationAction.Bootstrap));
    }
}
