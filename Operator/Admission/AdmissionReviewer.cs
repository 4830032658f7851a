using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Policy.Compilation;
using SecurityOperator.Policy.Evaluation;
using SecurityOperator.Policy.Mutation;

namespace SecurityOperator.Admission;

/// <summary>Decides one parsed AdmissionReview and writes the AdmissionReview response. Synchronous and
/// allocation-free when nothing is violated; strings are only made for answers that carry a message.
/// Rules: excluded namespaces and operations other than CREATE/UPDATE are allowed untouched; only core, apps and batch
/// workloads are evaluated; /mutate patches only on CREATE (pod specs are largely immutable afterwards, and a patch
/// on UPDATE would fight the controllers that own the object); violations that the request cannot have introduced
/// (<see cref="MetadataOnlyUpdate"/>, or regular containers on the ephemeralcontainers subresource) are warned about,
/// not denied. request.dryRun gets the same answer (the API server requires it) and no decision log line.</summary>
public sealed class AdmissionReviewer
{
    private readonly AdmissionPolicySource _policies;
    private readonly ILogger _log;

    public AdmissionReviewer(AdmissionPolicySource policies, ILogger? log = null)
    {
        _policies = policies;
        _log = log ?? NullLogger.Instance;
    }

    public AdmissionResult Review(AdmissionEndpoint endpoint, ReadOnlySpan<byte> body, in AdmissionReviewRequest request, Utf8JsonWriter output)
    {
        var uid = request.Uid.Of(body);
        var snapshot = _policies.Current;
        if (snapshot is null)
        {
            // Not reachable through the server (it is not ready before the first load); fail closed like failurePolicy Fail.
            AdmissionResponseWriter.Write(output, uid, new AdmissionResponse { Allowed = false, StatusCode = 503, Message = "security-operator: policies are not loaded yet" });
            return AdmissionResult.Invalid;
        }
        if (snapshot.IsExcluded(request.Namespace)) return Allow(output, uid, AdmissionResult.Excluded);
        if (request.Operation is not (AdmissionOperation.Create or AdmissionOperation.Update) || !request.Object.IsPresent
            || !IsWorkloadGroup(request.Group) || (endpoint == AdmissionEndpoint.Mutate && request.Operation != AdmissionOperation.Create))
            return Allow(output, uid, AdmissionResult.Skipped);

        var set = snapshot.Select(request.Namespace, endpoint);
        if (set.Policies.Count == 0) return Allow(output, uid, AdmissionResult.Allowed);
        var obj = request.Object.Of(body);
        var scratch = EvaluationScratch.ForCurrentThread;
        // Kind null: the evaluator reads it from the object, which the API server always serializes with its kind; the
        // object is what gets stored, so its own kind is the one to trust.
        var result = PolicyEvaluator.Evaluate(obj, set, scratch.Facts, scratch.Violations,
            new EvaluationRequest(null, request.Namespace, request.UserName));
        if (result.Status == EvaluationStatus.NotAWorkload) return Allow(output, uid, AdmissionResult.Skipped);
        if (result.Status == EvaluationStatus.InvalidInput) return Invalid(output, uid, set, request, result.Error);
        if (!result.HasViolations && !(endpoint == AdmissionEndpoint.Mutate && ImageDigestPins.Pending)) return Allow(output, uid, AdmissionResult.Allowed);
        return endpoint.IsValidating()
            ? Validate(output, body, request, set, result, scratch)
            : Mutate(output, uid, set, result, scratch);
    }

    private static bool IsWorkloadGroup(string group) => group is "" or "apps" or "batch";

    private static AdmissionResult Allow(Utf8JsonWriter output, ReadOnlySpan<byte> uid, AdmissionResult result)
    {
        AdmissionResponseWriter.WriteAllowed(output, uid);
        return result;
    }

    /// <summary>The object could not be read (e.g. over the evaluator's limits): denied when an enforcing policy applies,
    /// since it cannot be shown to comply; otherwise allowed with a warning.</summary>
    private AdmissionResult Invalid(Utf8JsonWriter output, ReadOnlySpan<byte> uid, CompiledPolicySet set, in AdmissionReviewRequest request, string? error)
    {
        var message = $"security-operator could not evaluate {request.Kind} in namespace {request.Namespace}: {error}";
        var enforced = set.Policies.Any(p => p.Mode == EnforcementMode.Enforce);
        if (!request.DryRun) _log.LogWarning("{Message}", message);
        var response = enforced ? new AdmissionResponse { Allowed = false, StatusCode = 400, Message = message } : new AdmissionResponse();
        if (!enforced) response.Warnings.Add(message.Length <= AdmissionMessages.MaxWarningLength ? message : message[..(AdmissionMessages.MaxWarningLength - 3)] + "...");
        AdmissionResponseWriter.Write(output, uid, response);
        return AdmissionResult.Invalid;
    }

    private AdmissionResult Validate(Utf8JsonWriter output, ReadOnlySpan<byte> body, in AdmissionReviewRequest request, CompiledPolicySet set,
        in EvaluationResult result, EvaluationScratch scratch)
    {
        var obj = request.Object.Of(body);
        var facts = scratch.Facts;
        var violations = scratch.Violations;
        var metadataOnly = request.Operation == AdmissionOperation.Update && request.SubResource.Length == 0 && request.OldObject.IsPresent
                           && MetadataOnlyUpdate.SpecUnchanged(obj, request.OldObject.Of(body));
        var ephemeralOnly = request.SubResource == "ephemeralcontainers";

        var denied = new List<ReportedViolation>();
        var audited = new List<ReportedViolation>();
        var warnings = new List<string>();
        for (var i = 0; i < violations.Count; i++)
        {
            ref readonly var v = ref violations[i];
            var reported = ViolationFormatter.Format(v, obj, result, set, facts);
            var policyName = set.Policies[v.PolicyIndex].Name;
            switch (reported.Disposition)
            {
                case Disposition.Deny when metadataOnly || (ephemeralOnly && !InEphemeralContainer(v, facts)):
                    warnings.Add(AdmissionMessages.Warning(policyName, reported, "pre-existing, not denied: "));
                    break;
                case Disposition.Deny:
                    denied.Add(reported);
                    break;
                case Disposition.Warn:
                    warnings.Add(AdmissionMessages.Warning(policyName, reported));
                    break;
                case Disposition.Audit:
                    audited.Add(reported);
                    break;
            }
        }

        var workload = result.Location.DisplayName(obj);
        var response = denied.Count > 0
            ? new AdmissionResponse { Allowed = false, StatusCode = 403, Message = AdmissionMessages.Denial(workload, denied) }
            : new AdmissionResponse();
        response.Warnings.AddRange(warnings);
        if (audited.Count > 0) response.AuditAnnotationValue = AdmissionMessages.AuditValue(audited);
        AdmissionResponseWriter.Write(output, request.Uid.Of(body), response);

        if (denied.Count > 0 && !request.DryRun)
            _log.LogInformation("denied {Operation} of {Workload} in namespace {Namespace} by {User}: {Message}",
                request.Operation.Label(), workload, request.Namespace, request.UserName, response.Message);
        return denied.Count > 0 ? AdmissionResult.Denied
            : warnings.Count > 0 || audited.Count > 0 ? AdmissionResult.Warned
            : AdmissionResult.Allowed;
    }

    /// <summary>On the ephemeralcontainers subresource only ephemeral containers can change: a finding about another
    /// container is pre-existing. A pod-level finding (e.g. a Pod Security check naming several containers) cannot be
    /// attributed, so it counts as new, as Pod Security Admission evaluates the whole pod there too.</summary>
    private static bool InEphemeralContainer(in Violation v, PodFacts facts) =>
        v.ContainerIndex < 0 || facts.Containers[v.ContainerIndex].Section == ContainerSection.EphemeralContainers;

    private static AdmissionResult Mutate(Utf8JsonWriter output, ReadOnlySpan<byte> uid, CompiledPolicySet set, in EvaluationResult result,
        EvaluationScratch scratch)
    {
        var plan = MutationPlan.From(scratch.Violations, set);
        if (plan.IsEmpty && !ImageDigestPins.Pending) return Allow(output, uid, AdmissionResult.Allowed);
        var patch = AdmissionScratch.ForCurrentThread.Patch;
        patch.ResetWrittenCount();
        if (PatchBuilder.Write(plan, scratch.Facts, result.Location, patch) == 0) return Allow(output, uid, AdmissionResult.Allowed);
        AdmissionResponseWriter.Write(output, uid, new AdmissionResponse { Patch = patch.WrittenMemory });
        return AdmissionResult.Patched;
    }
}
