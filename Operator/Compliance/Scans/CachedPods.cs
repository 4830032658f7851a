namespace SecurityOperator.Compliance.Scans;

/// <summary>Calls <paramref name="visit"/> with the namespace, name and JSON (metadata and spec at least) of every pod in
/// a synced cache the caller already keeps, e.g. the controller's pod informer. The JSON's memory may be reused after
/// each call. Lets the cluster scan check pods without listing them all again from the API.</summary>
public delegate void CachedPods(Action<string, string, ReadOnlyMemory<byte>> visit);
