using System.Runtime.InteropServices;
using System.Text;

namespace SecurityOperator.Runtime.Bpf;

/// <summary>An eBPF object (ELF) opened from memory: programs and maps can be configured until <see cref="Load"/>,
/// after which programs can be attached and maps used. Disposing closes it, which releases every program and map
/// that no link still holds.</summary>
public sealed unsafe class BpfObject : IDisposable
{
    private nint _obj;
    private bool _loaded;
    private readonly HashSet<string> _disabled = new(StringComparer.Ordinal);

    private BpfObject(nint obj, string name)
    {
        _obj = obj;
        Name = name;
        var programs = new List<BpfProgram>();
        for (var p = LibBpf.ObjectNextProgram(obj, 0); p != 0; p = LibBpf.ObjectNextProgram(obj, p))
            programs.Add(new BpfProgram(p, LibBpf.Utf8(LibBpf.ProgramName(p))!, LibBpf.Utf8(LibBpf.ProgramSectionName(p))!));
        Programs = programs;
        var maps = new List<BpfMap>();
        for (var m = LibBpf.ObjectNextMap(obj, 0); m != 0; m = LibBpf.ObjectNextMap(obj, m))
            maps.Add(new BpfMap(m, LibBpf.Utf8(LibBpf.MapName(m))!));
        Maps = maps;
    }

    public string Name { get; }

    public IReadOnlyList<BpfProgram> Programs { get; }

    public IReadOnlyList<BpfMap> Maps { get; }

    internal nint Btf => LibBpf.ObjectBtf(Handle);

    private nint Handle => _obj != 0 ? _obj : throw new ObjectDisposedException(nameof(BpfObject));

    /// <summary>Parses the ELF image (copied by libbpf: the buffer may go after this returns). Nothing reaches the kernel yet.</summary>
    public static BpfObject Open(ReadOnlySpan<byte> image, string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* buffer = image)
        fixed (byte* namePtr = nameBytes)
        {
            var options = new LibBpf.ObjectOpenOptions { Size = (nuint)sizeof(LibBpf.ObjectOpenOptions), ObjectName = namePtr };
            var obj = LibBpf.ObjectOpenMem(buffer, (nuint)image.Length, &options);
            if (obj == 0) throw new BpfException($"opening eBPF object '{name}' ({image.Length} bytes)", Marshal.GetLastPInvokeError());
            return new BpfObject(obj, name);
        }
    }

    public BpfProgram Program(string name) =>
        Programs.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"eBPF object '{Name}' has no program '{name}'", nameof(name));

    /// <summary>A map by its C name; the data sections are "&lt;object name&gt;.rodata" etc. (libbpf's naming).</summary>
    public BpfMap Map(string name) =>
        Maps.FirstOrDefault(m => m.Name == name) ?? throw new ArgumentException($"eBPF object '{Name}' has no map '{name}'", nameof(name));

    /// <summary>Leaves a program out of the load (it is then neither verified nor attachable).</summary>
    public void Disable(BpfProgram program)
    {
        EnsureNotLoaded();
        LibBpf.ProgramSetAutoload(program.Handle, false);
        _disabled.Add(program.Name);
    }

    /// <summary>Whether the program is part of the load (not disabled).</summary>
    public bool IsEnabled(BpfProgram program) => !_disabled.Contains(program.Name);

    public void SetMaxEntries(string map, uint maxEntries)
    {
        EnsureNotLoaded();
        var error = LibBpf.MapSetMaxEntries(Map(map).Handle, maxEntries);
        if (error < 0) throw new BpfException($"sizing map '{map}' to {maxEntries} entries", error);
    }

    /// <summary>Writes a `const volatile` global of the object's .rodata before load: the verifier sees it as a
    /// constant (and drops the code it switches off). The variable's offset comes from the object's BTF.</summary>
    public void SetReadOnlyGlobal<T>(string variable, in T value) where T : unmanaged
    {
        EnsureNotLoaded();
        var rodata = Maps.FirstOrDefault(m => m.Name.EndsWith(".rodata", StringComparison.Ordinal))
                     ?? throw new ArgumentException($"eBPF object '{Name}' has no .rodata section", nameof(variable));
        var offset = BtfLayout.VariableOffset(Btf, ".rodata", variable);
        if (offset < 0) throw new ArgumentException($"eBPF object '{Name}' has no read-only global '{variable}'", nameof(variable));
        nuint size;
        var data = (byte*)LibBpf.MapInitialValue(rodata.Handle, &size);
        if (data is null || (ulong)offset + (ulong)sizeof(T) > size)
            throw new ArgumentException($"read-only global '{variable}' ({sizeof(T)} bytes at {offset}) is outside .rodata ({size} bytes)", nameof(variable));
        *(T*)(data + offset) = value;
    }

    /// <summary>Creates the maps and loads (verifies) every program not disabled. On failure the object cannot be
    /// loaded again: open a new one (see <see cref="ObjectLoader"/>).</summary>
    public void Load()
    {
        EnsureNotLoaded();
        var error = LibBpf.ObjectLoad(Handle);
        _loaded = true;
        if (error < 0) throw new BpfException($"loading eBPF object '{Name}'", error);
    }

    public void Dispose()
    {
        var obj = Interlocked.Exchange(ref _obj, 0);
        if (obj != 0) LibBpf.ObjectClose(obj);
    }

    private void EnsureNotLoaded()
    {
        if (_loaded) throw new InvalidOperationException($"eBPF object '{Name}' is already loaded");
    }
}
