namespace SecurityOperator.Runtime.Bpf;

/// <summary>Why one program of an object was left out.</summary>
public sealed record ProgramFailure(string Program, string Section, string Feature, string Reason)
{
    public override string ToString() => $"program '{Program}' ({Section}) does not load on this kernel: {Reason}; it needs {Feature}";
}

/// <summary>The object that loaded and what had to be left out of it.</summary>
public sealed record LoadedObject(BpfObject Object, IReadOnlyList<ProgramFailure> Failures);

/// <summary>Loads an object so that one program the kernel refuses does not take the others down: libbpf loads an
/// object all or nothing, so after a failed load each program is tried alone (a fresh open each time) and the
/// object is loaded once more without the ones that fail. <paramref name="configure"/> is applied to every open
/// (rodata, map sizes) and must be repeatable.</summary>
public static class ObjectLoader
{
    public static LoadedObject LoadWhatLoads(ReadOnlySpan<byte> image, string name, Action<BpfObject> configure)
    {
        var whole = BpfObject.Open(image, name);
        try
        {
            configure(whole);
            whole.Load();
            return new LoadedObject(whole, []);
        }
        catch (BpfException)
        {
            whole.Dispose();
        }

        var failures = new List<ProgramFailure>();
        var programs = ProgramNames(image, name);
        foreach (var (program, section) in programs)
        {
            using var alone = BpfObject.Open(image, name);
            configure(alone);
            foreach (var other in alone.Programs)
                if (other.Name != program) alone.Disable(other);
            try
            {
                alone.Load();
            }
            catch (BpfException e)
            {
                failures.Add(new ProgramFailure(program, section, ProgramFeature.Of(section), BpfException.Describe(e.Errno)));
            }
        }

        var rest = BpfObject.Open(image, name);
        try
        {
            configure(rest);
            foreach (var failure in failures) rest.Disable(rest.Program(failure.Program));
            rest.Load();
            return new LoadedObject(rest, failures);
        }
        catch
        {
            rest.Dispose();
            throw;
        }
    }

    private static List<(string Name, string Section)> ProgramNames(ReadOnlySpan<byte> image, string name)
    {
        using var obj = BpfObject.Open(image, name);
        return obj.Programs.Select(p => (p.Name, p.Section)).ToList();
    }
}
