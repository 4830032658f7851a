using System.Text.Json.Nodes;

namespace SecurityOperator.Tests.Kube.ApiServer;

/// <summary>The double's etcd: one global revision counter, a multi-version history per key (so paged LISTs read one
/// snapshot, pods-03) and a bounded event log for watches. Everything runs under one lock; watch frames are handed to
/// subscribers under the same lock, which keeps every watcher's event order equal to commit order.</summary>
internal sealed class ObjectStore
{
    // Per key the committed versions, oldest first; a null object is a deletion (tombstone) at that revision, so a
    // snapshot older than the deletion still sees the object.
    private readonly Dictionary<ResourceType, SortedDictionary<string, List<Version>>> _objects = [];
    private readonly LinkedList<StoredEvent> _events = new();
    private readonly int _eventCapacity;
    private long _revision;
    private long _compacted;

    public ObjectStore(long initialRevision, int eventCapacity)
    {
        _revision = initialRevision;
        _eventCapacity = eventCapacity;
    }

    public object Gate { get; } = new();

    public WatchHub Watches { get; } = new();

    /// <summary>The newest revision: what a LIST reports as its resourceVersion (pods-03).</summary>
    public long Revision { get { lock (Gate) return _revision; } }

    /// <summary>Watches and lists from a resourceVersion below this get 410 (watch-03).</summary>
    public long CompactedRevision { get { lock (Gate) return _compacted; } }

    public StoredObject? Get(ResourceType type, string @namespace, string name)
    {
        lock (Gate)
            return _objects.TryGetValue(type, out var keys) && keys.TryGetValue(StoreKey.Of(@namespace, name), out var versions)
                ? versions[^1].Object
                : null;
    }

    /// <summary>Objects of a type as of <paramref name="atRevision"/>, in key order, optionally within one namespace.</summary>
    public List<StoredObject> Snapshot(ResourceType type, string? @namespace, long atRevision)
    {
        var result = new List<StoredObject>();
        lock (Gate)
        {
            if (!_objects.TryGetValue(type, out var keys)) return result;
            foreach (var versions in keys.Values)
            {
                var index = versions.FindLastIndex(v => v.Revision <= atRevision);
                if (index < 0 || versions[index].Object is not { } visible) continue;
                if (@namespace is not null && visible.Namespace != @namespace) continue;
                result.Add(visible);
            }
        }
        return result;
    }

    /// <summary>The current objects of every type in one namespace. Caller holds the lock.</summary>
    internal List<StoredObject> AllInNamespace(string @namespace) =>
        _objects.Where(t => t.Key.Namespaced).SelectMany(t => t.Value.Values)
            .Select(v => v[^1].Object).OfType<StoredObject>().Where(o => o.Namespace == @namespace).ToList();

    /// <summary>Runs a read-modify-write atomically. The transaction commits writes and publishes their events.</summary>
    public T Write<T>(Func<StoreTransaction, T> body)
    {
        lock (Gate)
            return body(new StoreTransaction(this));
    }

    internal StoredObject CommitPut(ResourceType type, JsonObject node, Patches.ManagedFieldSet managers, WatchEventType eventType, StoredObject? previous)
    {
        var rv = ++_revision;
        SetResourceVersion(node, rv);
        var stored = Materialize(type, node, managers, rv);
        VersionsOf(type, stored.Key).Add(new Version(rv, stored));
        Append(new StoredEvent(rv, eventType, stored, previous));
        return stored;
    }

    /// <summary>Removes the object; the DELETED event carries its last state with the new revision (watch-01 frame 5).</summary>
    internal StoredObject CommitDelete(StoredObject current, JsonObject? lastState = null)
    {
        var rv = ++_revision;
        var node = (JsonObject)(lastState ?? current.Node).DeepClone();
        SetResourceVersion(node, rv);
        var last = Materialize(current.Type, node, current.Managers, rv);
        VersionsOf(current.Type, current.Key).Add(new Version(rv, null));
        Append(new StoredEvent(rv, WatchEventType.Deleted, last, current));
        return last;
    }

    /// <summary>Moves the compaction point: history at or below <paramref name="revision"/> is dropped, so watches and
    /// continue tokens from older revisions get 410 (watch-03). Never moves backwards.</summary>
    public void Compact(long revision)
    {
        lock (Gate)
        {
            if (revision <= _compacted) return;
            _compacted = Math.Min(revision, _revision);
            while (_events.First is { } first && first.Value.ResourceVersion <= _compacted) _events.RemoveFirst();
            foreach (var keys in _objects.Values)
            {
                foreach (var key in keys.Keys.ToList())
                {
                    var versions = keys[key];
                    // Keep the newest version at or below the compaction point (the state a snapshot there sees) and all newer ones.
                    var keepFrom = versions.FindLastIndex(v => v.Revision <= _compacted);
                    if (keepFrom > 0) versions.RemoveRange(0, keepFrom);
                    if (versions is [{ Object: null } only] && only.Revision <= _compacted) keys.Remove(key);
                }
            }
        }
    }

    /// <summary>Jumps the revision forward (etcd revisions have gaps) and returns the new value.</summary>
    public long AdvanceRevision(long by)
    {
        lock (Gate) return _revision += by;
    }

    /// <summary>Events of one type after <paramref name="afterRevision"/>, in commit order. Caller holds the lock.</summary>
    internal IEnumerable<StoredEvent> EventsAfter(ResourceType type, long afterRevision) =>
        _events.Where(e => e.ResourceVersion > afterRevision && e.Object.Type == type);

    internal long CurrentRevisionUnlocked => _revision;
    internal long CompactedUnlocked => _compacted;

    private List<Version> VersionsOf(ResourceType type, string key)
    {
        if (!_objects.TryGetValue(type, out var keys)) _objects[type] = keys = new(StringComparer.Ordinal);
        if (!keys.TryGetValue(key, out var versions)) keys[key] = versions = [];
        return versions;
    }

    private void Append(StoredEvent e)
    {
        _events.AddLast(e);
        Watches.Publish(e);
        if (_events.Count > _eventCapacity)
        {
            // Drop the oldest quarter at once so compaction work stays amortised; like the watch cache window of the
            // real server, watches from before the window then get 410 (watch-03 SETUP 2).
            var target = _events.Skip(_events.Count - _eventCapacity * 3 / 4).First().ResourceVersion - 1;
            Compact(target);
        }
    }

    /// <summary>Sets metadata.resourceVersion in its serialized position (after uid).</summary>
    internal static void SetResourceVersion(JsonObject node, long rv)
    {
        var metadata = (JsonObject)node["metadata"]!;
        metadata["resourceVersion"] = rv.ToString();
        node["metadata"] = MetadataOrder.Ordered(metadata);
    }

    private static StoredObject Materialize(ResourceType type, JsonObject node, Patches.ManagedFieldSet managers, long rv)
    {
        // Stored nodes are read by concurrent requests: build them eagerly (SortKeys does too).
        var served = (JsonObject)(type.IsCustom ? JsonOutput.SortKeys(node) : JsonOutput.Freeze(node))!;
        var item = (JsonObject)served.DeepClone();
        if (!type.IsCustom)
        {
            item.Remove("kind");
            item.Remove("apiVersion");
        }
        var metadata = served["metadata"] as JsonObject;
        return new StoredObject
        {
            Type = type,
            Namespace = metadata?["namespace"]?.GetValue<string>() ?? "",
            Name = metadata?["name"]?.GetValue<string>() ?? "",
            ResourceVersion = rv,
            Node = served,
            Json = JsonOutput.ToBytes(served),
            ItemJson = JsonOutput.ToBytes(item),
            Managers = managers,
        };
    }

    private readonly record struct Version(long Revision, StoredObject? Object);
}

public enum WatchEventType { Added, Modified, Deleted }

/// <summary>One committed change. <see cref="Previous"/> is the state before it (for selector transitions, watch-05).</summary>
internal sealed record StoredEvent(long ResourceVersion, WatchEventType Type, StoredObject Object, StoredObject? Previous);

/// <summary>The write side handed to <see cref="ObjectStore.Write{T}"/>: reads see the latest state, writes commit at once.</summary>
internal sealed class StoreTransaction(ObjectStore store)
{
    public StoredObject? Get(ResourceType type, string @namespace, string name) => store.Get(type, @namespace, name);

    public StoredObject Add(ResourceType type, JsonObject node, Patches.ManagedFieldSet managers) =>
        store.CommitPut(type, node, managers, WatchEventType.Added, null);

    public StoredObject Update(StoredObject current, JsonObject node, Patches.ManagedFieldSet managers) =>
        store.CommitPut(current.Type, node, managers, WatchEventType.Modified, current);

    /// <summary>Deletes; <paramref name="lastState"/> is the state the DELETED event carries when the deleting write
    /// also changed the object (the last finalizer removed).</summary>
    public StoredObject Delete(StoredObject current, JsonObject? lastState = null) => store.CommitDelete(current, lastState);

    public long Revision => store.CurrentRevisionUnlocked;
}
