using System.Text.Json.Nodes;
using SecurityOperator.Admission;
using SecurityOperator.Admission.Certificates;
using SecurityOperator.Hosting.CommandLine;
using SecurityOperator.Kube.Access;
using SecurityOperator.Tests.Support;
using SecurityOperator.Yaml;

namespace SecurityOperator.Tests.Manifests;

/// <summary>manifests/webhook agrees with the code: the names the certificate manager patches and writes, the flags'
/// default paths, the webhook's declared API calls, and the admission settings docs/webhook.md promises.</summary>
public class WebhookManifestTests
{
    private static readonly string Directory = Path.Combine(RepositoryPaths.Root, "manifests", "webhook");
    private static readonly WebhookCertificateOptions Certificates = new();

    private static IReadOnlyList<JsonObject> Documents(string file)
    {
        var path = Path.Combine(Directory, file);
        return YamlToJson.ConvertAll(File.ReadAllText(path), path).Select(d => JsonNode.Parse(d.Json)!.AsObject()).ToList();
    }

    private static IReadOnlyList<JsonObject> All() =>
        System.IO.Directory.GetFiles(Directory, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => Documents(Path.GetFileName(f))).ToList();

    private static JsonObject Only(string kind) => Assert.Single(All(), d => (string?)d["kind"] == kind);

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Fact]
    public void The_kustomization_lists_every_file_and_every_object_carries_the_operator_labels()
    {
        var listed = Strings(Documents("kustomization.yaml")[0]["resources"]).Order(StringComparer.Ordinal);
        var files = System.IO.Directory.GetFiles(Directory, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order(StringComparer.Ordinal);
        Assert.Equal(files, listed);
        foreach (var document in All())
        {
            var labels = document["metadata"]!["labels"]!;
            Assert.Equal("security-operator", (string?)labels["app.kubernetes.io/name"]);
            Assert.Equal("webhook", (string?)labels["app.kubernetes.io/component"]);
            Assert.Equal("security-operator", (string?)labels["app.kubernetes.io/part-of"]);
            if (document["metadata"]!["namespace"] is { } ns) Assert.Equal(Certificates.Namespace, (string?)ns);
        }
    }

    public static TheoryData<string, string, string, string> Configurations => new()
    {
        { "ValidatingWebhookConfiguration", "security-operator-enforce", "/validate/enforce", "Fail" },
        { "ValidatingWebhookConfiguration", "security-operator-audit", "/validate/audit", "Ignore" },
        { "MutatingWebhookConfiguration", "security-operator-mutate", "/mutate", "Ignore" },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Each_webhook_configuration_has_the_documented_admission_settings(string kind, string name, string path, string failurePolicy)
    {
        var configuration = Assert.Single(All(), d => (string?)d["kind"] == kind && (string?)d["metadata"]!["name"] == name);
        var names = kind.StartsWith("Validating") ? Certificates.ValidatingWebhookConfigurations : Certificates.MutatingWebhookConfigurations;
        Assert.Contains(name, names);
        var webhook = Assert.Single(configuration["webhooks"]!.AsArray())!;
        var service = webhook["clientConfig"]!["service"]!;
        Assert.Null(webhook["clientConfig"]!["caBundle"]);       // patched in at run time; apply must never overwrite it
        Assert.Equal(Certificates.ServiceName, (string?)service["name"]);
        Assert.Equal(Certificates.Namespace, (string?)service["namespace"]);
        Assert.Equal(path, (string?)service["path"]);
        Assert.Equal(443, (int)service["port"]!);
        Assert.Equal(failurePolicy, (string?)webhook["failurePolicy"]);
        Assert.Equal("Equivalent", (string?)webhook["matchPolicy"]);
        Assert.Equal("None", (string?)webhook["sideEffects"]);
        Assert.Equal(5, (int)webhook["timeoutSeconds"]!);
        Assert.Equal(["v1"], Strings(webhook["admissionReviewVersions"]));
        var expression = Assert.Single(webhook["namespaceSelector"]!["matchExpressions"]!.AsArray())!;
        Assert.Equal("kubernetes.io/metadata.name", (string?)expression["key"]);
        Assert.Equal("NotIn", (string?)expression["operator"]);
        Assert.Equal(Flags.ExcludeNamespaces.Default!.Split(','), Strings(expression["values"]));

        var resources = webhook["rules"]!.AsArray().SelectMany(r =>
        {
            Assert.Equal(["CREATE", "UPDATE"], Strings(r!["operations"]));
            Assert.Equal(["v1"], Strings(r["apiVersions"]));
            var group = Assert.Single(Strings(r["apiGroups"]));
            return Strings(r["resources"]).Select(res => $"{group}/{res}");
        }).Order(StringComparer.Ordinal);
        Assert.Equal(["/pods", "/pods/ephemeralcontainers", "apps/daemonsets", "apps/deployments", "apps/replicasets", "apps/statefulsets",
            "batch/cronjobs", "batch/jobs"], resources);
        Assert.Equal(kind.StartsWith("Mutating") ? "IfNeeded" : null, (string?)webhook["reinvocationPolicy"]);
    }

    [Fact]
    public void The_cluster_role_grants_exactly_the_calls_the_webhook_declares()
    {
        var granted = Only("ClusterRole")["rules"]!.AsArray().SelectMany(rule =>
            from g in Strings(rule!["apiGroups"]) from r in Strings(rule["resources"]) from v in Strings(rule["verbs"]) select new ApiAccess(g, r, v));
        Assert.Equal(WebhookApiAccess.Calls.Select(c => c.ToString()).Order(StringComparer.Ordinal), granted.Select(c => c.ToString()).Order(StringComparer.Ordinal));
        var binding = Only("ClusterRoleBinding");
        Assert.Equal((string?)Only("ClusterRole")["metadata"]!["name"], (string?)binding["roleRef"]!["name"]);
        var subject = Assert.Single(binding["subjects"]!.AsArray())!;
        Assert.Equal((string?)Only("ServiceAccount")["metadata"]!["name"], (string?)subject["name"]);
        Assert.False((bool)Only("ServiceAccount")["automountServiceAccountToken"]!);
    }

    [Fact]
    public void The_deployment_mounts_the_managed_secret_where_the_flags_read_it_and_follows_the_pod_rules()
    {
        var deployment = Only("Deployment");
        Assert.Equal(3, (int)deployment["spec"]!["replicas"]!);
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.False((bool)pod["automountServiceAccountToken"]!);
        Assert.Equal((string?)Only("ServiceAccount")["metadata"]!["name"], (string?)pod["serviceAccountName"]);
        var antiAffinity = Assert.Single(pod["affinity"]!["podAntiAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!.AsArray())!;
        Assert.Equal("kubernetes.io/hostname", (string?)antiAffinity["topologyKey"]);
        Assert.NotEmpty(pod["topologySpreadConstraints"]!.AsArray());

        var container = Assert.Single(pod["containers"]!.AsArray())!;
        Assert.StartsWith("registry.example.com/security-operator/security-operator@sha256:", (string?)container["image"]);
        var security = container["securityContext"]!;
        Assert.True((bool)security["runAsNonRoot"]!);
        Assert.Equal(65534, (int)security["runAsUser"]!);
        Assert.Equal(65534, (int)security["runAsGroup"]!);
        Assert.True((bool)security["readOnlyRootFilesystem"]!);
        Assert.False((bool)security["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], Strings(security["capabilities"]!["drop"]));
        Assert.Equal("RuntimeDefault", (string?)security["seccompProfile"]!["type"]);
        foreach (var kind in new[] { "requests", "limits" })
            Assert.NotNull(container["resources"]![kind]!["memory"]);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        var ports = container["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (int)p!["containerPort"]!);
        Assert.Equal(8443, ports["https"]);
        Assert.Equal(8080, ports["metrics"]);

        var args = Strings(container["args"]);
        Assert.Contains("--role=webhook", args);
        Assert.Contains($"--tls-cert-file={Flags.TlsCertFile.Default}", args);
        Assert.Contains($"--tls-key-file={Flags.TlsKeyFile.Default}", args);
        var mounts = container["volumeMounts"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => m!);
        Assert.Equal(Path.GetDirectoryName(Flags.TlsCertFile.Default), (string?)mounts["tls"]["mountPath"]);
        Assert.True((bool)mounts["tls"]["readOnly"]!);
        Assert.Null(mounts["tls"]["subPath"]);                    // a subPath mount never sees Secret updates
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", (string?)mounts["kube-api-access"]["mountPath"]);

        var volumes = pod["volumes"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => v!);
        var secret = volumes["tls"]["secret"]!;
        Assert.Equal(Certificates.SecretName, (string?)secret["secretName"]);
        // Only the serving pair reaches the webhook pods: never the CA's private key.
        Assert.Equal([CertificateMaterial.ServingCertificateKey, CertificateMaterial.ServingKeyKey],
            secret["items"]!.AsArray().Select(i => (string)i!["key"]!).ToArray());
        var token = volumes["kube-api-access"]["projected"]!["sources"]!.AsArray();
        Assert.Equal(3600, (int)token[0]!["serviceAccountToken"]!["expirationSeconds"]!);
        Assert.Equal("kube-root-ca.crt", (string?)token[1]!["configMap"]!["name"]);
        Assert.Equal("metadata.namespace", (string?)token[2]!["downwardAPI"]!["items"]![0]!["fieldRef"]!["fieldPath"]);
    }

    [Fact]
    public void The_service_reaches_the_https_port_and_the_budget_covers_the_pods()
    {
        var service = Only("Service");
        Assert.Equal(Certificates.ServiceName, (string?)service["metadata"]!["name"]);
        var https = Assert.Single(service["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == "https")!;
        Assert.Equal(443, (int)https["port"]!);
        Assert.Equal("https", (string?)https["targetPort"]);
        var podLabels = Only("Deployment")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        foreach (var selector in new[] { service["spec"]!["selector"]!, Only("PodDisruptionBudget")["spec"]!["selector"]!["matchLabels"]! })
        foreach (var (key, value) in selector.AsObject())
            Assert.Equal((string?)value, (string?)podLabels[key]);
        Assert.Equal(1, (int)Only("PodDisruptionBudget")["spec"]!["maxUnavailable"]!);
    }
}
