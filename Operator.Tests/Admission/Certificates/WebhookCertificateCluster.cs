using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using SecurityOperator.Admission.Certificates;
using SecurityOperator.Tests.Kube.ApiServer;
using SecurityOperator.Tests.Kube.Integration;

namespace SecurityOperator.Tests.Admission.Certificates;

/// <summary>The API server double with the operator's namespace and the three webhook configurations of
/// manifests/webhook (enforce with two webhooks, so "every entry" is exercised), and readers for what the manager wrote.</summary>
internal sealed class WebhookCertificateCluster : IAsyncDisposable
{
    public const string Namespace = "security-operator";
    public const string SecretName = "security-operator-webhook-tls";

    private WebhookCertificateCluster(DoubleCluster cluster) => Cluster = cluster;

    public DoubleCluster Cluster { get; }
    public ApiServerDouble Api => Cluster.Api;

    public static async Task<WebhookCertificateCluster> StartAsync(bool withConfigurations = true)
    {
        var cluster = new WebhookCertificateCluster(await DoubleCluster.StartAsync(contextNamespace: Namespace));
        cluster.Cluster.SeedNamespace(Namespace);
        if (withConfigurations) cluster.SeedConfigurations();
        return cluster;
    }

    public void SeedConfigurations()
    {
        SeedConfiguration(ResourceCatalog.ValidatingWebhookConfigurations, "ValidatingWebhookConfiguration", "security-operator-enforce",
            "Fail", ["enforce.security-operator.io", "enforce-ephemeral.security-operator.io"], "/validate/enforce");
        SeedConfiguration(ResourceCatalog.ValidatingWebhookConfigurations, "ValidatingWebhookConfiguration", "security-operator-audit",
            "Ignore", ["audit.security-operator.io"], "/validate/audit");
        SeedConfiguration(ResourceCatalog.MutatingWebhookConfigurations, "MutatingWebhookConfiguration", "security-operator-mutate",
            "Ignore", ["mutate.security-operator.io"], "/mutate");
    }

    /// <summary>A configuration as `kubectl apply` creates it from the manifests: no caBundle.</summary>
    public void SeedConfiguration(ResourceType type, string kind, string name, string failurePolicy, string[] webhooks, string path)
    {
        var entries = new JsonArray();
        foreach (var webhook in webhooks)
            entries.Add(new JsonObject
            {
                ["name"] = webhook,
                ["clientConfig"] = new JsonObject
                {
                    ["service"] = new JsonObject { ["namespace"] = Namespace, ["name"] = "security-operator-webhook", ["path"] = path, ["port"] = 443 },
                },
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray(""), ["apiVersions"] = new JsonArray("v1"),
                    ["operations"] = new JsonArray("CREATE", "UPDATE"), ["resources"] = new JsonArray("pods"), ["scope"] = "Namespaced",
                }),
                ["failurePolicy"] = failurePolicy,
                ["sideEffects"] = "None",
                ["admissionReviewVersions"] = new JsonArray("v1"),
                ["timeoutSeconds"] = 5,
            });
        Api.Seed(type, new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["webhooks"] = entries,
        });
    }

    public static IEnumerable<(ResourceType Type, string Name)> Configurations =>
    [
        (ResourceCatalog.ValidatingWebhookConfigurations, "security-operator-enforce"),
        (ResourceCatalog.ValidatingWebhookConfigurations, "security-operator-audit"),
        (ResourceCatalog.MutatingWebhookConfigurations, "security-operator-mutate"),
    ];

    public JsonObject? Secret => Api.Get(ResourceCatalog.Secrets, Namespace, SecretName)?.Object;

    public string SecretText(string key) => Encoding.ASCII.GetString(Convert.FromBase64String(Secret!["data"]![key]!.GetValue<string>()));

    /// <summary>Every webhook entry's caBundle (decoded), across all three configurations.</summary>
    public IReadOnlyList<string?> Bundles() =>
        Configurations.SelectMany(c => Api.Get(c.Type, "", c.Name)!.Object["webhooks"]!.AsArray())
            .Select(w => w!["clientConfig"]!["caBundle"]?.GetValue<string>() is { } b ? Encoding.ASCII.GetString(Convert.FromBase64String(b)) : null)
            .ToList();

    /// <summary>The one bundle all webhooks carry (fails when they differ).</summary>
    public string Bundle() => Assert.Single(Bundles().Distinct())!;

    /// <summary>What kube-apiserver checks when it calls the webhook: the serving certificate chains to a CA of the
    /// caBundle, is valid at <paramref name="at"/> and holds the name it dials (service.namespace.svc).</summary>
    public static bool Trusts(string bundle, string servingPem, DateTimeOffset at)
    {
        using var serving = X509Certificate2.CreateFromPem(servingPem);
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(bundle);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        var ok = chain.Build(serving) && serving.MatchesHostname("security-operator-webhook.security-operator.svc");
        foreach (var root in roots) root.Dispose();
        return ok;
    }

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
