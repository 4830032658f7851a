using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting.Metrics;
using SecurityOperator.Signing.Verification;

namespace SecurityOperator.Admission.ImageSignatures;

/// <summary>Builds the webhook's image signature step: one verifier (its cache and registry clients live as long as
/// the webhook) and the step that runs it before evaluation.</summary>
public sealed class ImageSignatureWiring : IDisposable
{
    // 3 s: inside the webhook's 4 s request deadline (AdmissionServerOptions.RequestDeadline), leaving time to decide.
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(3);

    private readonly ImageSignatureVerifier _verifier;

    public ImageSignatureWiring(AdmissionPolicySource policies, MetricsRegistry metrics, ILoggerFactory loggers,
        ImageSignatureVerifierOptions? options = null, TimeSpan? budget = null, PullSecretCredentials? pullSecrets = null,
        AttestorKeyResolver? attestorKeys = null)
    {
        var log = loggers.CreateLogger("image-signatures");
        _verifier = new ImageSignatureVerifier(options ?? new ImageSignatureVerifierOptions(), new VerificationMetrics(metrics), log);
        Step = new ImageSignatureStep(policies, _verifier, budget ?? DefaultBudget, pullSecrets, log, attestorKeys);
    }

    public ImageSignatureStep Step { get; }

    public void Dispose() => _verifier.Dispose();
}
