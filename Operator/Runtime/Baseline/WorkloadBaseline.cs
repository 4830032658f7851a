namespace SecurityOperator.Runtime.Baseline;

/// <summary>One workload's baseline on this node: its learning window, the learned entries per container name, and
/// what has changed since the last merge into the store. The event thread and the sync loop share it through
/// <see cref="Gate"/>.</summary>
public sealed class WorkloadBaseline(WorkloadRef workload, BaselineOptions options)
{
    public readonly Lock Gate = new();
    private readonly Dictionary<string, ContainerBaseline> _containers = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, DateTimeOffset> _reported = new();
    private long _changes;
    private long _savedChanges;
    private int _bytes;

    public WorkloadRef Workload { get; } = workload;

    /// <summary>False until the stored baseline was read (or there is no store): until then events are neither
    /// learned nor judged, so a restarted agent never relearns a finished window.</summary>
    public bool Loaded { get; private set; }

    public DateTimeOffset? LearningStarted { get; private set; }

    public DateTimeOffset? LearningEnds { get; private set; }

    public bool Truncated { get; private set; }

    /// <summary>Entries learned here that the store has not seen yet.</summary>
    public bool Dirty => _changes != _savedChanges;

    public int Bytes => _bytes;

    public bool IsLearning(DateTimeOffset now) => LearningEnds is not { } end || now < end;

    /// <summary>Starts the window at the first event seen of an unknown workload.</summary>
    public void StartLearningIfNew(DateTimeOffset now)
    {
        if (LearningStarted is not null) return;
        LearningStarted = now;
        LearningEnds = now + options.Learning;
        _changes++;
    }

    public ContainerBaseline? Container(string name) => _containers.GetValueOrDefault(name);

    /// <summary>Learns an entry within the size bounds; false when it is known or a bound stops it. Callers look
    /// the hash up first, so the text is made only for a new entry.</summary>
    public bool Learn(string container, BaselineKind kind, ulong hash, string value, ulong subnet = 0)
    {
        if (!_containers.TryGetValue(container, out var entries))
        {
            if (_containers.Count >= options.MaxContainers) return Truncate();
            _containers[container] = entries = new ContainerBaseline();
        }
        if (entries.Contains(kind, hash)) return false;
        var size = Size(value);
        if (_bytes + size > options.MaxBytes) return Truncate();
        entries.Add(kind, hash, value, subnet);
        _bytes += size;
        _changes++;
        return true;
    }

    /// <summary>Whether a deviation is reported now: not when the same one was within <see cref="BaselineOptions.AlertRepeat"/>.</summary>
    public bool ShouldReport(ulong deviation, DateTimeOffset now)
    {
        if (_reported.TryGetValue(deviation, out var last) && now - last < options.AlertRepeat) return false;
        if (_reported.Count >= options.MaxRememberedAlerts) _reported.Clear();
        _reported[deviation] = now;
        return true;
    }

    /// <summary>Deviations reported for this container within the last minute (a burst raises the score).</summary>
    public int RecentDeviations(string container, DateTimeOffset now)
    {
        var recent = 0;
        foreach (var (key, time) in _reported)
            if ((key & 0xffff) == ContainerTag(container) && now - time < TimeSpan.FromMinutes(1)) recent++;
        return recent;
    }

    /// <summary>A key of one deviation: its hash with the container's 16-bit tag in the low bits.</summary>
    public static ulong DeviationKey(string container, BaselineKind kind, ulong hash) =>
        (((hash * 31) ^ (ulong)kind) & ~0xffffUL) | ContainerTag(container);

    private static ulong ContainerTag(string container) => (ulong)(uint)StringComparer.Ordinal.GetHashCode(container) & 0xffff;

    /// <summary>What to write: the learned entries, sorted, with the window. Records how many changes it holds.</summary>
    public BaselineDocument Snapshot(out long changes)
    {
        changes = _changes;
        var document = new BaselineDocument
        {
            Workload = Workload.ToString(),
            LearningStarted = LearningStarted,
            LearningEnds = LearningEnds,
            Truncated = Truncated,
        };
        foreach (var (name, entries) in _containers)
        {
            var stored = new BaselineContainerDocument();
            foreach (var kind in Kinds) stored.Of(kind).AddRange(entries.Entries(kind).Order(StringComparer.Ordinal));
            document.Containers[name] = stored;
        }
        return document;
    }

    /// <summary>Takes in the stored (merged) baseline: its window (the earliest start wins), its entries (within the
    /// bounds), and marks the changes of <paramref name="savedChanges"/> as stored. Null: nothing stored yet.</summary>
    public void Adopt(BaselineDocument? stored, long savedChanges)
    {
        Loaded = true;
        _savedChanges = Math.Max(_savedChanges, savedChanges);
        if (stored is null) return;
        if (stored.LearningStarted is { } started && (LearningStarted is null || started < LearningStarted))
        {
            LearningStarted = started;
            LearningEnds = stored.LearningEnds ?? started + options.Learning;
        }
        else if (stored.LearningEnds is { } ends && LearningEnds is { } mine && ends < mine) LearningEnds = ends;
        Truncated |= stored.Truncated;
        foreach (var (name, entries) in stored.Containers)
            foreach (var kind in Kinds)
                foreach (var text in entries.Of(kind))
                    AdoptEntry(name, kind, text);
    }

    /// <summary>Marks the baseline loaded with nothing stored (no API server: learning starts at the first event).</summary>
    public void MarkLoaded() => Loaded = true;

    private void AdoptEntry(string container, BaselineKind kind, string text)
    {
        if (!_containers.TryGetValue(container, out var entries))
        {
            if (_containers.Count >= options.MaxContainers)
            {
                Truncated = true;
                return;
            }
            _containers[container] = entries = new ContainerBaseline();
        }
        var size = Size(text);
        if (_bytes + size > options.MaxBytes)
        {
            Truncated = true;
            return;
        }
        if (entries.AddStored(kind, text)) _bytes += size;
    }

    private bool Truncate()
    {
        if (!Truncated) _changes++;
        Truncated = true;
        return false;
    }

    /// <summary>Bytes an entry costs in the bound: its UTF-8 text plus quotes, comma and a little JSON indentation.</summary>
    public static int Size(string text) => System.Text.Encoding.UTF8.GetByteCount(text) + 4;

    public static readonly BaselineKind[] Kinds = [BaselineKind.Executable, BaselineKind.PathPrefix, BaselineKind.Destination];
}
