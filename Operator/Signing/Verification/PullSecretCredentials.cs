using SecurityOperator.Kube;
using SecurityOperator.Kube.Access;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;
using SecurityOperator.Registry;

namespace SecurityOperator.Signing.Verification;

/// <summary>Registry credentials of a pod the way the kubelet finds them: the pod's imagePullSecrets, then its
/// service account's, each a Secret of type kubernetes.io/dockerconfigjson (.dockerconfigjson) or
/// kubernetes.io/dockercfg (.dockercfg), read through the API. A missing Secret or service account is skipped (the
/// kubelet only warns); the first secret naming a registry wins.</summary>
public sealed class PullSecretCredentials(KubeClient client)
{

    /// <summary>The API calls this makes (for the role's ApiAccess list and RBAC): get secrets, get serviceaccounts.</summary>
    public static readonly IReadOnlyList<ApiAccess> Calls = [new("", "secrets", "get"), new("", "serviceaccounts", "get")];

    public async Task<DockerConfigCredentials> ResolveAsync(string @namespace, string? serviceAccount, IReadOnlyList<string> podPullSecrets,
        CancellationToken cancellation)
    {
        var names = new List<string>(podPullSecrets);
        var account = await GetOrNullAsync(KubeResource.ServiceAccounts, @namespace, string.IsNullOrEmpty(serviceAccount) ? "default" : serviceAccount,
            KubeJsonContext.Default.ServiceAccount, cancellation).ConfigureAwait(false);
        foreach (var reference in account?.ImagePullSecrets ?? [])
            if (reference.Name is { Length: > 0 } name && !names.Contains(name)) names.Add(name);

        var configs = new List<DockerConfigCredentials>();
        foreach (var name in names)
        {
            var secret = await GetOrNullAsync(KubeResource.Secrets, @namespace, name, KubeJsonContext.Default.Secret, cancellation).ConfigureAwait(false);
            var key = secret?.Type switch
            {
                "kubernetes.io/dockerconfigjson" => ".dockerconfigjson",
                "kubernetes.io/dockercfg" => ".dockercfg",
                _ => null,
            };
            if (key is null || secret!.Data?.GetValueOrDefault(key) is not { } bytes) continue;
            configs.Add(DockerConfigCredentials.Parse(bytes, $"Secret {@namespace}/{name} {key}"));
        }
        return DockerConfigCredentials.Merge(configs);
    }

    private async Task<T?> GetOrNullAsync<T>(KubeResource resource, string @namespace, string name,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellation) where T : class
    {
        try
        {
            return await client.GetAsync(resource, @namespace, name, type, cancellationToken: cancellation).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return null;
        }
    }
}
