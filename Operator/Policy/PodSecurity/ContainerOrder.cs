using SecurityOperator.Policy.Evaluation;

namespace SecurityOperator.Policy.PodSecurity;

/// <summary>Enumerates containers in the order upstream's visitContainers does (initContainers, containers,
/// ephemeralContainers), whatever order they had in the JSON, so messages list names as upstream does.</summary>
public ref struct ContainerOrder
{
    private readonly ReadOnlySpan<ContainerFacts> _containers;
    private readonly int _sections;
    private readonly bool _singleSection;
    private int _section;
    private int _index;

    public ContainerOrder(PodFacts facts)
    {
        _containers = facts.Containers.AsSpan();
        _sections = facts.SectionMask;
        // One section present (the usual pod): the list is already in order, walk it once.
        _singleSection = (_sections & (_sections - 1)) == 0;
        _section = 0;
        _index = -1;
    }

    public readonly ContainerOrder GetEnumerator() => this;

    public readonly ref readonly ContainerFacts Current => ref _containers[_index];

    /// <summary>Index of <see cref="Current"/> in <see cref="PodFacts.Containers"/>.</summary>
    public readonly int Index => _index;

    public bool MoveNext()
    {
        if (_singleSection) return ++_index < _containers.Length;
        while (_section < 3)
        {
            if ((_sections & (1 << _section)) == 0) { _section++; continue; }
            while (++_index < _containers.Length)
                if ((int)_containers[_index].Section == _section) return true;
            _section++;
            _index = -1;
        }
        return false;
    }
}
