using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecurityOperator.Kube.Client;
using SecurityOperator.Kube.Models;

namespace SecurityOperator.Runtime.Baseline;

/// <summary>Baselines in a ConfigMap per workload, in the workload's namespace ("security-operator-baseline-&lt;kind&gt;-&lt;name&gt;",
/// labelled app.kubernetes.io/managed-by=security-operator, data key baseline.json). Several node agents learn the same
/// workload, so a save reads, merges and writes back conditionally on the read resourceVersion; a 409 (another node
/// wrote in between, or created it first) means read, merge and write again.</summary>
public sealed class ConfigMapBaselineStore(KubeClient client, BaselineOptions options, ILogger? logger = null) : IBaselineStore
{
    /// <summary>Read-merge-write rounds before a save gives up until the next sync: 5 outlasts the few nodes that
    /// write one workload at the same moment.</summary>
    public const int MaxAttempts = 5;

    private readonly ILogger _log = logger ?? NullLogger.Instance;

    /// <summary>Conflicts met (and retried) so far.</summary>
    public int Conflicts { get; private set; }

    public async Task<BaselineDocument?> LoadAsync(WorkloadRef workload, CancellationToken cancellationToken) =>
        Read(workload, await GetAsync(workload, cancellationToken).ConfigureAwait(false));

    public async Task<BaselineDocument> SaveAsync(WorkloadRef workload, BaselineDocument local, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(workload, cancellationToken).ConfigureAwait(false);
            var stored = Read(workload, current);
            var merged = BaselineMerge.Merge(workload, stored, local, options);
            if (stored is not null && BaselineMerge.SameContent(stored, merged)) return merged;
            try
            {
                var data = Encoding.UTF8.GetString(BaselineMerge.Serialize(merged));
                if (current is null)
                    await client.CreateAsync(BaselineConfigMap.Resource, workload.Namespace, New(workload, data),
                        BaselineJsonContext.Default.BaselineConfigMap, cancellationToken: cancellationToken).ConfigureAwait(false);
                else
                {
                    (current.Data ??= [])[BaselineConfigMap.DataKey] = data;
                    await client.ReplaceAsync(BaselineConfigMap.Resource, workload.Namespace, current,
                        BaselineJsonContext.Default.BaselineConfigMap, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                return merged;
            }
            catch (KubeApiException e) when (e.Code == 409 && attempt < MaxAttempts)
            {
                Conflicts++;
                _log.LogDebug("baseline {Workload}: {Reason} on write (attempt {Attempt}); reading and merging again", workload, e.Reason, attempt);
            }
        }
    }

    private async Task<BaselineConfigMap?> GetAsync(WorkloadRef workload, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetAsync(BaselineConfigMap.Resource, workload.Namespace, workload.ConfigMapName,
                BaselineJsonContext.Default.BaselineConfigMap, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>The document of a ConfigMap. One that is not readable (edited by hand, another version) is logged
    /// with the reason and treated as empty: the next save rewrites it from what the nodes learn.</summary>
    private BaselineDocument? Read(WorkloadRef workload, BaselineConfigMap? map)
    {
        if (map?.Data?.GetValueOrDefault(BaselineConfigMap.DataKey) is not { } json) return null;
        try
        {
            var document = JsonSerializer.Deserialize(json, BaselineJsonContext.Default.BaselineDocument);
            if (document is { Version: BaselineDocument.CurrentVersion }) return document;
            _log.LogWarning("baseline ConfigMap {Namespace}/{Name}: {Key} has version {Version}, this agent reads {Current}; it is relearned",
                workload.Namespace, workload.ConfigMapName, BaselineConfigMap.DataKey, document?.Version, BaselineDocument.CurrentVersion);
        }
        catch (JsonException e)
        {
            _log.LogWarning("baseline ConfigMap {Namespace}/{Name}: {Key} is not a baseline document ({Reason}); it is relearned",
                workload.Namespace, workload.ConfigMapName, BaselineConfigMap.DataKey, e.Message);
        }
        return null;
    }

    private static BaselineConfigMap New(WorkloadRef workload, string data) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = workload.ConfigMapName,
            Namespace = workload.Namespace,
            Labels = new()
            {
                [BaselineConfigMap.ManagedByLabel] = BaselineConfigMap.ManagedBy,
                [BaselineConfigMap.ComponentLabel] = BaselineConfigMap.Component,
            },
            Annotations = new() { ["security-operator.io/workload"] = workload.ToString() },
        },
        Data = new() { [BaselineConfigMap.DataKey] = data },
    };
}
