namespace SecurityOperator.Kube.Informers;

/// <summary>The label and field selectors of an informer, passed as-is to the lister/watcher it creates (labelSelector
/// and fieldSelector query parameters, e.g. "app=web,tier in (a,b)" and "spec.nodeName=node-a"; see pods-04). Null means none.</summary>
public sealed record ListWatchSelectors(string? LabelSelector = null, string? FieldSelector = null);
