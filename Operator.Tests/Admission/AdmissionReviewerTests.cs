using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SecurityOperator.Admission;
using SecurityOperator.Tests.Hosting.Logging;
using SecurityOperator.Tests.Policy;
using SecurityOperator.Tests.Policy.Mutation;

namespace SecurityOperator.Tests.Admission;

public class AdmissionReviewerTests
{
    private static readonly byte[] PodCreate = AdmissionTranscripts.Call("adm-01", 2).Body;

    private static SecurityOperator.Policy.Compilation.CompiledPolicy RunAsRoot(string mode = "enforce") => PolicyTestKit.Rule("""[{"runAsRoot":true}]""", mode: mode);

    [Fact]
    public void ViolatingCreateIsDeniedWith403ListingEachRuleContainerAndField()
    {
        var call = AdmissionTranscripts.Call("adm-01", 2);
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Validate, call.Body, ReviewKit.Restricted(), RunAsRoot());
        Assert.Equal(AdmissionResult.Denied, result);
        Assert.Equal(("admission.k8s.io/v1", "AdmissionReview"), ((string)review["apiVersion"]!, (string)review["kind"]!));
        var response = review.Response();
        Assert.Equal(call.Uid, (string)response["uid"]!);
        Assert.False((bool)response["allowed"]!);
        Assert.Equal(403, (int)response["status"]!["code"]!);
        var message = (string)response["status"]!["message"]!;
        Assert.StartsWith("Pod adm-pod violates ", message);
        // Pod Security findings name their container and field, with upstream's wording narrowed to that offender.
        Assert.Contains("[ClusterSecurityPolicy p/r] container \"app\" (spec.containers[0].securityContext.allowPrivilegeEscalation): violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"app\"", message);
        Assert.Contains("[ClusterSecurityPolicy p/r] container \"app\" (spec.containers[0].securityContext.runAsNonRoot): may run as root", message);
        Assert.Contains("(fix: ", message);
        // A webhook denial carries no reason (adm-08): the API server builds the client's Status from code and message.
        Assert.Null(response["status"]!["reason"]);
    }

    [Fact]
    public void AllowedAnswerHasOnlyUidAndAllowed()
    {
        var call = AdmissionTranscripts.Call("adm-01", 2);
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Validate, call.Body, PolicyTestKit.Rule("""[{"privilegedContainer":true}]"""));
        Assert.Equal(AdmissionResult.Allowed, result);
        Assert.Equal($$"""{"uid":"{{call.Uid}}","allowed":true}""", review.Response().ToJsonString());
    }

    [Fact]
    public void MetadataOnlyUpdateIsNotDeniedForPreExistingViolations()
    {
        var update = AdmissionTranscripts.Call("adm-02", 2).Body;
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Validate, update, ReviewKit.Restricted());
        Assert.Equal(AdmissionResult.Warned, result);
        Assert.True((bool)review.Response()["allowed"]!);
        Assert.All(review.Response()["warnings"]!.AsArray(), w => Assert.StartsWith("pre-existing, not denied: p/r: ", (string)w!));

        // The same update with a changed spec is evaluated like a create.
        var specChange = ReviewKit.Edit(update, r => r["object"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.26");
        Assert.Equal(AdmissionResult.Denied, ReviewKit.Review(AdmissionEndpoint.Validate, specChange, ReviewKit.Restricted()).Result);
    }

    [Fact]
    public void EphemeralContainerSubresourceIsEvaluatedForTheNewContainer()
    {
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Validate, AdmissionTranscripts.Call("adm-03", 2).Body, RunAsRoot());
        Assert.Equal(AdmissionResult.Denied, result);
        var message = (string)review.Response()["status"]!["message"]!;
        Assert.Contains("container \"debugger\" (spec.ephemeralContainers[0].", message);
        // The regular container cannot change through this subresource: its violations are pre-existing warnings.
        Assert.DoesNotContain("container \"app\"", message);
        Assert.Contains(review.Response()["warnings"]!.AsArray(), w => ((string)w!).Contains("container \"app\""));

        // A pod-level finding cannot be attributed to the old or the new containers: it is denied (as Pod Security Admission does).
        Assert.Equal(AdmissionResult.Denied, ReviewKit.Review(AdmissionEndpoint.Validate, AdmissionTranscripts.Call("adm-03", 2).Body, ReviewKit.Restricted()).Result);
    }

    [Fact]
    public void DryRunRequestGetsTheSameAnswerAndNoDecisionLogLine()
    {
        var dryRun = AdmissionTranscripts.Call("adm-04", 2).Body;
        var capture = new LogCapture();
        var reviewer = ReviewKit.Reviewer([ReviewKit.Restricted()], capture.Logger("admission"));
        var (dryResult, dryReview) = ReviewKit.Review(reviewer, AdmissionEndpoint.Validate, dryRun);
        var real = ReviewKit.Edit(dryRun, r => r["dryRun"] = false);
        var (realResult, realReview) = ReviewKit.Review(reviewer, AdmissionEndpoint.Validate, real);
        Assert.Equal(AdmissionResult.Denied, dryResult);
        Assert.Equal(realResult, dryResult);
        Assert.Equal(realReview.ToJsonString(), dryReview.ToJsonString());
        var lines = capture.Lines();
        Assert.Single(lines);
        Assert.Contains("denied CREATE of Pod dry-pod", lines[0].GetProperty("message").GetString());
    }

    [Fact]
    public void DeleteIsAllowedUntouchedInBothRounds()
    {
        for (var call = 1; call <= 4; call++)
        {
            var body = AdmissionTranscripts.Call("adm-05", call).Body;
            foreach (var endpoint in new[] { AdmissionEndpoint.Validate, AdmissionEndpoint.Mutate })
            {
                var (result, review) = ReviewKit.Review(endpoint, body, ReviewKit.Restricted(actions: """["deny",{"mutate":{"harden":true}}]"""));
                Assert.Equal(AdmissionResult.Skipped, result);
                Assert.Equal(2, review.Response().Count);
            }
        }
        var connect = ReviewKit.Edit(PodCreate, r => r["operation"] = "CONNECT");
        Assert.Equal(AdmissionResult.Skipped, ReviewKit.Review(AdmissionEndpoint.Validate, connect, ReviewKit.Restricted()).Result);
    }

    [Fact]
    public void DeploymentAndTheReplicaSetsPodAreEvaluatedThroughTheirTemplates()
    {
        var (deployResult, deploy) = ReviewKit.Review(AdmissionEndpoint.Validate, AdmissionTranscripts.Call("adm-06", 2).Body, ReviewKit.Restricted());
        Assert.Equal(AdmissionResult.Denied, deployResult);
        var message = (string)deploy.Response()["status"]!["message"]!;
        Assert.StartsWith("Deployment adm-deploy violates", message);
        Assert.Contains("(spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation): violates PodSecurity", message);

        var (podResult, pod) = ReviewKit.Review(AdmissionEndpoint.Validate, AdmissionTranscripts.Call("adm-06", 4).Body, ReviewKit.Restricted());
        Assert.Equal(AdmissionResult.Denied, podResult);
        Assert.StartsWith("Pod adm-deploy-f7bdc4964-l9gq2 violates", (string)pod.Response()["status"]!["message"]!);
    }

    [Fact]
    public void WarnModeAllowsWithShortUnprefixedWarnings()
    {
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Validate, PodCreate, ReviewKit.Restricted("warn"), RunAsRoot("warn"));
        Assert.Equal(AdmissionResult.Warned, result);
        Assert.True((bool)review.Response()["allowed"]!);
        var warnings = review.Response()["warnings"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w =>
        {
            Assert.InRange(w.Length, 1, AdmissionMessages.MaxWarningLength);
            Assert.False(w.StartsWith("Warning", StringComparison.OrdinalIgnoreCase));
            Assert.StartsWith("p/r: ", w);
        });
        Assert.Contains(warnings, w => w.StartsWith("p/r: container \"app\": ", StringComparison.Ordinal));
        Assert.Null(review.Response()["status"]);
    }

    [Fact]
    public void SplitValidatingEndpointsDecideWithTheirOwnHalfOfThePolicies()
    {
        // One enforcing and one warning policy, both violated: /validate gives both answers at once; the Fail-policy
        // endpoint only denies, the Ignore-policy endpoint only warns.
        var policies = new[] { RunAsRoot("enforce"), ReviewKit.Restricted("warn") };

        var (all, allReview) = ReviewKit.Review(AdmissionEndpoint.Validate, PodCreate, policies);
        Assert.Equal(AdmissionResult.Denied, all);
        Assert.NotNull(allReview.Response()["warnings"]);

        var (enforce, enforceReview) = ReviewKit.Review(AdmissionEndpoint.ValidateEnforce, PodCreate, policies);
        Assert.Equal(AdmissionResult.Denied, enforce);
        Assert.Null(enforceReview.Response()["warnings"]);
        Assert.Contains("may run as root", (string)enforceReview.Response()["status"]!["message"]!);

        var (audit, auditReview) = ReviewKit.Review(AdmissionEndpoint.ValidateAudit, PodCreate, policies);
        Assert.Equal(AdmissionResult.Warned, audit);
        Assert.True((bool)auditReview.Response()["allowed"]!);
        Assert.NotEmpty(auditReview.Response()["warnings"]!.AsArray());
    }

    [Fact]
    public void DryRunModeAllowsWithAuditAnnotations()
    {
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Validate, PodCreate, RunAsRoot("dryrun"));
        Assert.Equal(AdmissionResult.Warned, result);
        Assert.True((bool)review.Response()["allowed"]!);
        Assert.Null(review.Response()["warnings"]);
        var audit = (string)review.Response()["auditAnnotations"]![AdmissionResponseWriter.AuditAnnotationKey]!;
        Assert.Contains("[ClusterSecurityPolicy p/r] container \"app\" (spec.containers[0].securityContext.", audit);
    }

    [Theory]
    [InlineData("kube-system")]
    [InlineData("security-operator")]
    public void ExcludedNamespacesAreAllowedUntouched(string ns)
    {
        var body = ReviewKit.Edit(PodCreate, r => r["namespace"] = ns);
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Validate, body, ReviewKit.Restricted());
        Assert.Equal(AdmissionResult.Excluded, result);
        Assert.True((bool)review.Response()["allowed"]!);
    }

    [Fact]
    public void MutationIsABase64JsonPatchAndThePatchedObjectPassesTheRulesItWasMutatedFor()
    {
        var limits = PolicyTestKit.Compile("""
            {"apiVersion":"security.io/v1","kind":"ClusterSecurityPolicy","metadata":{"name":"m"},"spec":{"enforcementMode":"enforce","rules":[
              {"name":"limits","conditions":[{"missingResourceLimits":true}],"actions":[{"mutate":{"setDefaults":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"100m","memory":"128Mi"}}}}]},
              {"name":"restricted","conditions":[{"podSecurity":{"level":"restricted","version":"latest"}}],"actions":["deny",{"mutate":{"harden":true}}]}]}}
            """);
        foreach (var (file, call) in new[] { ("adm-01", 1), ("adm-06", 3), ("adm-06", 1) })
        {
            var body = AdmissionTranscripts.Call(file, call).Body;
            var (result, review) = ReviewKit.Review(AdmissionEndpoint.Mutate, body, limits);
            Assert.Equal(AdmissionResult.Patched, result);
            var response = review.Response();
            Assert.True((bool)response["allowed"]!);
            Assert.Equal("JSONPatch", (string)response["patchType"]!);
            var patch = JsonNode.Parse(Convert.FromBase64String((string)response["patch"]!))!.AsArray();
            var patched = JsonPatchApplier.Apply(JsonNode.Parse(body)!["request"]!["object"]!, patch);

            // The API server sends the mutated object to the validating webhook: it must now pass.
            var revalidate = ReviewKit.Edit(body, r => r["object"] = patched.DeepClone());
            var (after, afterReview) = ReviewKit.Review(AdmissionEndpoint.Validate, revalidate, limits);
            Assert.True(after == AdmissionResult.Allowed, $"{file} call {call}: {afterReview.ToJsonString()}");
        }
    }

    [Fact]
    public void MutationOnlyOnCreate()
    {
        var update = AdmissionTranscripts.Call("adm-02", 1).Body;
        var (result, review) = ReviewKit.Review(AdmissionEndpoint.Mutate, update, ReviewKit.Restricted(actions: """["deny",{"mutate":{"harden":true}}]"""));
        Assert.Equal(AdmissionResult.Skipped, result);
        Assert.Null(review.Response()["patch"]);
    }

    [Fact]
    public void UnevaluableObjectIsDeniedWith400UnderEnforceAndWarnedOtherwise()
    {
        var body = ReviewKit.Edit(PodCreate, r => r["object"]!["spec"]!["containers"] = "not a list");
        var (enforced, deny) = ReviewKit.Review(AdmissionEndpoint.Validate, body, ReviewKit.Restricted());
        Assert.Equal(AdmissionResult.Invalid, enforced);
        Assert.Equal(400, (int)deny.Response()["status"]!["code"]!);
        Assert.Contains("could not evaluate Pod in namespace adm-demo", (string)deny.Response()["status"]!["message"]!);
        var (warned, warn) = ReviewKit.Review(AdmissionEndpoint.Validate, body, ReviewKit.Restricted("warn"));
        Assert.Equal(AdmissionResult.Invalid, warned);
        Assert.True((bool)warn.Response()["allowed"]!);
        Assert.Single(warn.Response()["warnings"]!.AsArray());
    }

    [Fact]
    public void NothingIsAllocatedWhenNothingIsViolated()
    {
        var reviewer = ReviewKit.Reviewer([PolicyTestKit.Rule("""[{"privilegedContainer":true}]"""), PolicyTestKit.Rule("""[{"hostNetwork":true}]""")]);
        var cache = new Utf8StringCache();
        var output = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(output);
        long Once()
        {
            output.ResetWrittenCount();
            writer.Reset(output);
            var before = GC.GetAllocatedBytesForCurrentThread();
            AdmissionReviewReader.TryRead(PodCreate, cache, out var request, out _);
            var result = reviewer.Review(AdmissionEndpoint.Validate, PodCreate, request, writer);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(AdmissionResult.Allowed, result);
            return allocated;
        }
        Once();
        Once();
        Assert.Equal(0, Once());
        Assert.Contains("\"allowed\":true", Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
