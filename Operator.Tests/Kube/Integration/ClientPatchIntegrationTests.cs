using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecurityOperator.Kube;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Tests.Kube.ApiServer;

namespace SecurityOperator.Tests.Kube.Integration;

/// <summary>The four PATCH flavours and the status subresource through KubeClient against the double, each checked
/// against what the recorded server did (pods-05..08, crd-02).</summary>
public sealed class ClientPatchIntegrationTests
{
    private static readonly KubeResource Pods = KubeResource.Pods;

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<DoubleCluster> ClusterWithPodAsync(string name = "web-0")
    {
        var cluster = await DoubleCluster.StartAsync();
        var pod = TestPods.Json("secops", name);
        pod["metadata"]!["labels"] = new JsonObject { ["app"] = "web", ["tier"] = "frontend" };
        cluster.Api.Seed(ResourceCatalog.Pods, pod, fieldManager: "transcript-recorder");
        return cluster;
    }

    [Fact]
    public async Task Merge_patch_adds_and_removes_with_null_and_a_stale_resourceVersion_in_it_is_a_conflict()
    {
        await using var cluster = await ClusterWithPodAsync();
        var client = cluster.Client;
        var before = await client.GetAsync(Pods, "secops", "web-0", KubeJsonContext.Default.Pod);

        // pods-05 REQUEST 1: add a label and an annotation, remove tier with null.
        var patched = await client.PatchAsync(Pods, "secops", "web-0", PatchType.Merge,
            Utf8("""{"metadata":{"labels":{"owner":"secops","tier":null},"annotations":{"security.io/scanned":"true"}}}"""),
            KubeJsonContext.Default.Pod);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["owner"] = "secops" }, patched.Metadata.Labels);
        Assert.Equal("true", patched.Metadata.Annotations!["security.io/scanned"]);

        // pods-05 REQUEST 2: a resourceVersion inside a merge patch is a precondition.
        var stale = await Assert.ThrowsAsync<KubeConflictException>(() => client.PatchAsync(Pods, "secops", "web-0", PatchType.Merge,
            Utf8("{\"metadata\":{\"resourceVersion\":\"" + before.Metadata.ResourceVersion + "\",\"labels\":{\"x\":\"y\"}}}"), KubeJsonContext.Default.Pod));
        Assert.Contains("the object has been modified", stale.Message);

        // pods-05 REQUEST 3: PATCH of a missing object is 404.
        var missing = await Assert.ThrowsAsync<KubeNotFoundException>(() => client.PatchAsync(Pods, "secops", "does-not-exist",
            PatchType.Merge, Utf8("""{"metadata":{"labels":{"x":"y"}}}"""), KubeJsonContext.Default.Pod));
        Assert.False(missing.ApiNotServed);
    }

    [Fact]
    public async Task Json_patch_applies_test_add_replace_remove_and_a_failed_test_is_a_generic_422_without_causes()
    {
        await using var cluster = await ClusterWithPodAsync();
        var client = cluster.Client;

        // pods-06 REQUEST 1 (with ~1 escaping of "/" in the annotation key).
        var patched = await client.PatchAsync(Pods, "secops", "web-0", PatchType.Json, Utf8("""
            [{"op":"test","path":"/metadata/labels/app","value":"web"},
             {"op":"add","path":"/metadata/annotations","value":{"security.io/owner":"a"}},
             {"op":"replace","path":"/metadata/annotations/security.io~1owner","value":"b"},
             {"op":"remove","path":"/metadata/labels/tier"}]
            """), KubeJsonContext.Default.Pod);
        Assert.Equal("b", patched.Metadata.Annotations!["security.io/owner"]);
        Assert.False(patched.Metadata.Labels!.ContainsKey("tier"));

        // pods-06 REQUEST 2: the generic message and empty details.
        var failed = await Assert.ThrowsAsync<KubeInvalidException>(() => client.PatchAsync(Pods, "secops", "web-0", PatchType.Json,
            Utf8("""[{"op":"test","path":"/metadata/labels/app","value":"db"},{"op":"add","path":"/metadata/labels/never","value":"x"}]"""),
            KubeJsonContext.Default.Pod));
        Assert.Equal(422, failed.Code);
        Assert.Equal("the server rejected our request due to an error in our request", failed.Status!.Message);
        Assert.Empty(failed.Causes);
        Assert.False((await client.GetAsync(Pods, "secops", "web-0", KubeJsonContext.Default.Pod)).Metadata.Labels!.ContainsKey("never"));
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name_where_a_merge_patch_replaces_the_list_and_is_rejected()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var pod = TestPods.Json("secops", "web-0");
        pod["spec"]!["containers"]![0]!["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 });
        cluster.Api.Seed(ResourceCatalog.Pods, pod);
        var client = cluster.Client;
        var body = Utf8("""{"spec":{"containers":[{"name":"app","image":"nginx:1.26"}]}}""");

        // pods-07 REQUEST 1: merged by key "name", so ports survive.
        var merged = await client.PatchAsync(Pods, "secops", "web-0", PatchType.StrategicMerge, body, KubeJsonContext.Default.Pod);
        var container = Assert.Single(merged.Spec!.Containers!);
        Assert.Equal("nginx:1.26", container.Image);
        Assert.True(container.Extra!.ContainsKey("ports"));

        // pods-07 REQUEST 2: the same body as a merge patch replaces the list, which a pod update may not do.
        var rejected = await Assert.ThrowsAsync<KubeInvalidException>(() =>
            client.PatchAsync(Pods, "secops", "web-0", PatchType.Merge, body, KubeJsonContext.Default.Pod));
        Assert.Contains("pod updates may not change fields", rejected.Status!.Message);
    }

    [Fact]
    public async Task Server_side_apply_creates_conflicts_with_another_manager_and_force_takes_ownership()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        cluster.SeedNamespace("secops");
        var client = cluster.Client;
        var manager = new PatchOptions { FieldManager = "secop-operator" };

        // Client side: apply without a field manager never reaches the server (it would answer 422, pods-08 REQUEST 2).
        await Assert.ThrowsAsync<ArgumentException>(() => client.PatchAsync(Pods, "secops", "web-ssa", PatchType.Apply,
            Utf8("{}"), KubeJsonContext.Default.Pod));

        // pods-08 REQUEST 3: apply on a missing object creates it (YAML body, as recorded).
        var created = await client.PatchAsync(Pods, "secops", "web-ssa", PatchType.Apply, Utf8("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-ssa
              labels:
                app: web
            spec:
              containers:
              - name: app
                image: nginx:1.25
            """), KubeJsonContext.Default.Pod, manager);
        Assert.Equal("nginx:1.25", created.Spec!.Containers![0].Image);

        // Another manager (this client's User-Agent prefix by default) takes the image with a strategic merge patch...
        await client.PatchAsync(Pods, "secops", "web-ssa", PatchType.StrategicMerge,
            Utf8("""{"spec":{"containers":[{"name":"app","image":"nginx:1.26"}]}}"""), KubeJsonContext.Default.Pod,
            new PatchOptions { FieldManager = "other-manager" });
        var apply = Utf8("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-ssa"},"spec":{"containers":[{"name":"app","image":"nginx:1.25-hardened"}]}}""");

        // ...so applying a different value is pods-08 REQUEST 5: 409 with one FieldManagerConflict cause naming the field.
        var conflict = await Assert.ThrowsAsync<KubeConflictException>(() =>
            client.PatchAsync(Pods, "secops", "web-ssa", PatchType.Apply, apply, KubeJsonContext.Default.Pod, manager));
        var cause = Assert.Single(conflict.Causes);
        Assert.Equal("FieldManagerConflict", cause.Reason);
        Assert.Equal(".spec.containers[name=\"app\"].image", cause.Field);
        Assert.Contains("conflict with \"other-manager\"", conflict.Status!.Message);

        // pods-08 REQUEST 6: force=true moves ownership and wins.
        var forced = await client.PatchAsync(Pods, "secops", "web-ssa", PatchType.Apply, apply, KubeJsonContext.Default.Pod,
            manager with { Force = true });
        Assert.Equal("nginx:1.25-hardened", forced.Spec!.Containers![0].Image);
        Assert.Contains(cluster.Api.Requests, r => r.Method == "PATCH" && r.Query == "fieldManager=secop-operator&force=true"
                                                   && r.ContentType == "application/apply-patch+yaml");
    }

    [Fact]
    public async Task Status_subresource_writes_only_status_and_leaves_spec_and_generation_alone()
    {
        await using var cluster = await DoubleCluster.StartAsync();
        var api = cluster.Api;
        api.Seed(ResourceCatalog.Pods, TestPods.Json("secops", "web-0", nodeName: "node-a"));
        api.Seed(ResourceCatalog.SecurityPolicies, ClientCrudIntegrationTests.SecurityPolicyJson("secops", "no-privileged"));
        var client = cluster.Client;

        // Pod: PUT .../status with a changed image and a new phase; only the phase is stored.
        var pod = await client.GetAsync(Pods, "secops", "web-0", KubeJsonContext.Default.Pod);
        pod.Spec!.Containers![0].Image = "evil:latest";
        pod.Status = new PodStatus { Phase = "Running" };
        var written = await client.ReplaceStatusAsync(Pods, "secops", pod, KubeJsonContext.Default.Pod);
        Assert.Equal("Running", written.Status!.Phase);
        Assert.Equal("nginx:1.25", written.Spec!.Containers![0].Image);
        Assert.Equal("Running", (await client.GetStatusAsync(Pods, "secops", "web-0", KubeJsonContext.Default.Pod)).Status!.Phase);

        // crd-02 REQUEST 2: merge-patch /status of a SecurityPolicy; generation stays 1 and spec is untouched.
        var policy = await client.PatchStatusAsync(KubeResource.SecurityPolicies, "secops", "no-privileged", PatchType.Merge,
            Utf8("""{"status":{"observedGeneration":1,"violations":3},"spec":{"enforcement":"Audit"}}"""), IntegrationJsonContext.Default.CustomObject);
        Assert.Equal(1, policy.Metadata.Generation);
        Assert.Equal(3, policy.Extra!["status"].GetProperty("violations").GetInt32());
        Assert.Equal("Enforce", policy.Extra["spec"].GetProperty("enforcement").GetString());

        // crd-03: a PUT of the main resource ignores status but bumps generation for the spec change.
        var read = await client.GetAsync(KubeResource.SecurityPolicies, "secops", "no-privileged", IntegrationJsonContext.Default.CustomObject);
        read.Extra!["spec"] = JsonDocument.Parse("""{"enforcement":"Audit","rules":[{"name":"deny-privileged","action":"Deny"}]}""").RootElement;
        read.Extra["status"] = JsonDocument.Parse("""{"observedGeneration":1,"violations":99}""").RootElement;
        var replaced = await client.ReplaceAsync(KubeResource.SecurityPolicies, "secops", read, IntegrationJsonContext.Default.CustomObject);
        Assert.Equal(2, replaced.Metadata.Generation);
        Assert.Equal(3, replaced.Extra!["status"].GetProperty("violations").GetInt32());
        Assert.Equal("Audit", replaced.Extra["spec"].GetProperty("enforcement").GetString());
    }
}
