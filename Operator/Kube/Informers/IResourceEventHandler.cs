using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Informers;

/// <summary>Receives the changes a <see cref="SharedInformer{T}"/> sees, serially and in event order (see there).</summary>
public interface IResourceEventHandler<in T> where T : class, IKubeObject
{
    void OnAdd(T obj);

    /// <summary><paramref name="oldObj"/> is the cached state before the change. On a resync both are the same object.</summary>
    void OnUpdate(T oldObj, T newObj);

    /// <summary>The object's last known state. After a relist it is the last state the cache had (the deletion itself
    /// was missed, like client-go's DeletedFinalStateUnknown); with a label selector it can mean "stopped matching".</summary>
    void OnDelete(T obj);
}

/// <summary>An <see cref="IResourceEventHandler{T}"/> from delegates; any of them may be left out.</summary>
public sealed class ResourceEventHandler<T>(Action<T>? onAdd = null, Action<T, T>? onUpdate = null, Action<T>? onDelete = null)
    : IResourceEventHandler<T> where T : class, IKubeObject
{
    public void OnAdd(T obj) => onAdd?.Invoke(obj);
    public void OnUpdate(T oldObj, T newObj) => onUpdate?.Invoke(oldObj, newObj);
    public void OnDelete(T obj) => onDelete?.Invoke(obj);
}
