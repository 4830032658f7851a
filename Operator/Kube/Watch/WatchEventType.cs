namespace SecurityOperator.Kube.Watch;

/// <summary>The "type" of one watch frame (metav1.WatchEvent). BOOKMARK frames carry only a resourceVersion; ERROR frames
/// carry a metav1.Status (watch-03: a 410 arrives this way inside an HTTP 200 stream).</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}
