namespace SecurityOperator.Runtime.Baseline;

/// <summary>Where baselines persist across agent restarts and are shared by the nodes running a workload's replicas.</summary>
public interface IBaselineStore
{
    /// <summary>The stored baseline; null when there is none yet.</summary>
    Task<BaselineDocument?> LoadAsync(WorkloadRef workload, CancellationToken cancellationToken);

    /// <summary>Merges <paramref name="local"/> into the stored baseline and returns what is stored afterwards.</summary>
    Task<BaselineDocument> SaveAsync(WorkloadRef workload, BaselineDocument local, CancellationToken cancellationToken);
}
