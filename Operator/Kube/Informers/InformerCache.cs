using SecurityOperator.Kube.Models;

namespace SecurityOperator.Kube.Informers;

/// <summary>The informer's thread-safe store: objects by key ("namespace/name") plus caller-registered indexes
/// (index name -> index value -> keys), like client-go's threadSafeMap. Many readers run in parallel; the single
/// writer is the informer's loop. Index functions must be pure: the values of the old object are recomputed to unindex it.</summary>
public sealed class InformerCache<T> where T : class, IKubeObject
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indices = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _items.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Registers an index and indexes what is already cached. A second index with the same name is an error.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> indexFunc)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_indexers.TryAdd(name, indexFunc)) throw new ArgumentException($"index '{name}' is already registered", nameof(name));
            var index = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            _indices[name] = index;
            foreach (var (key, obj) in _items) AddToIndex(index, indexFunc, key, obj);
        }
        finally { _lock.ExitWriteLock(); }
    }

    public T? Get(string key)
    {
        _lock.EnterReadLock();
        try { return _items.GetValueOrDefault(key); }
        finally { _lock.ExitReadLock(); }
    }

    public IReadOnlyList<T> List()
    {
        _lock.EnterReadLock();
        try { return _items.Values.ToArray(); }
        finally { _lock.ExitReadLock(); }
    }

    public IReadOnlyList<string> Keys()
    {
        _lock.EnterReadLock();
        try { return _items.Keys.ToArray(); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The objects whose index function returned <paramref name="value"/> for index <paramref name="indexName"/>.</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_indices.TryGetValue(indexName, out var index))
                throw new ArgumentException($"no index named '{indexName}' is registered (known: {string.Join(", ", _indices.Keys)})", nameof(indexName));
            return index.TryGetValue(value, out var keys) ? keys.Select(k => _items[k]).ToArray() : Array.Empty<T>();
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Stores <paramref name="obj"/> under <paramref name="key"/>; returns the object it replaced, if any.</summary>
    public T? Upsert(string key, T obj)
    {
        _lock.EnterWriteLock();
        try
        {
            _items.TryGetValue(key, out var old);
            if (old is not null) Unindex(key, old);
            _items[key] = obj;
            foreach (var (name, fn) in _indexers) AddToIndex(_indices[name], fn, key, obj);
            return old;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Removes <paramref name="key"/>; returns the removed object, or null when it was not cached.</summary>
    public T? Remove(string key)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_items.Remove(key, out var old)) return null;
            Unindex(key, old);
            return old;
        }
        finally { _lock.ExitWriteLock(); }
    }

    private void Unindex(string key, T old)
    {
        foreach (var (name, fn) in _indexers)
        {
            var index = _indices[name];
            foreach (var value in fn(old))
            {
                if (!index.TryGetValue(value, out var keys)) continue;
                keys.Remove(key);
                if (keys.Count == 0) index.Remove(value);
            }
        }
    }

    private static void AddToIndex(Dictionary<string, HashSet<string>> index, Func<T, IEnumerable<string>> fn, string key, T obj)
    {
        foreach (var value in fn(obj))
        {
            if (!index.TryGetValue(value, out var keys)) index[value] = keys = new HashSet<string>(StringComparer.Ordinal);
            keys.Add(key);
        }
    }
}
