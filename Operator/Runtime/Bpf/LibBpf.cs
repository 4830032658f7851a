using System.Runtime.InteropServices;

namespace SecurityOperator.Runtime.Bpf;

/// <summary>The libbpf 1.x C API the node agent uses. "bpf" is linked statically into the AOT executable
/// (DirectPInvoke + libbpf.a in Operator.csproj); under the JIT it resolves to the system libbpf.so. Pointers to
/// libbpf's opaque objects stay nint; libbpf ≥ 1.0 returns NULL and sets errno on failure (hence SetLastError).</summary>
internal static unsafe partial class LibBpf
{
    private const string Library = "bpf";

    [StructLayout(LayoutKind.Sequential)]
    internal struct ObjectOpenOptions
    {
        public nuint Size;            // sz: how much of the struct the caller knows; libbpf zero-fills the rest
        public byte* ObjectName;
        public byte RelaxedMaps;
        public byte* PinRootPath;
    }

    [LibraryImport(Library, EntryPoint = "bpf_object__open_mem", SetLastError = true)]
    internal static partial nint ObjectOpenMem(void* buffer, nuint size, ObjectOpenOptions* options);

    [LibraryImport(Library, EntryPoint = "bpf_object__load")]
    internal static partial int ObjectLoad(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    internal static partial void ObjectClose(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__btf")]
    internal static partial nint ObjectBtf(nint obj);

    [LibraryImport(Library, EntryPoint = "bpf_object__next_program")]
    internal static partial nint ObjectNextProgram(nint obj, nint previous);

    [LibraryImport(Library, EntryPoint = "bpf_object__next_map")]
    internal static partial nint ObjectNextMap(nint obj, nint previous);

    [LibraryImport(Library, EntryPoint = "bpf_program__name")]
    internal static partial byte* ProgramName(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__section_name")]
    internal static partial byte* ProgramSectionName(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__set_autoload")]
    internal static partial int ProgramSetAutoload(nint program, [MarshalAs(UnmanagedType.U1)] bool autoload);

    [LibraryImport(Library, EntryPoint = "bpf_program__fd")]
    internal static partial int ProgramFd(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__attach_trace", SetLastError = true)]
    internal static partial nint ProgramAttachTrace(nint program);

    [LibraryImport(Library, EntryPoint = "bpf_program__attach_cgroup", SetLastError = true)]
    internal static partial nint ProgramAttachCgroup(nint program, int cgroupFd);

    [LibraryImport(Library, EntryPoint = "bpf_link__destroy")]
    internal static partial int LinkDestroy(nint link);

    [LibraryImport(Library, EntryPoint = "bpf_map__name")]
    internal static partial byte* MapName(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__fd")]
    internal static partial int MapFd(nint map);

    [LibraryImport(Library, EntryPoint = "bpf_map__set_max_entries")]
    internal static partial int MapSetMaxEntries(nint map, uint maxEntries);

    [LibraryImport(Library, EntryPoint = "bpf_map__initial_value")]
    internal static partial void* MapInitialValue(nint map, nuint* size);

    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem", SetLastError = true)]
    internal static partial int MapUpdateElem(int fd, void* key, void* value, ulong flags);

    [LibraryImport(Library, EntryPoint = "bpf_map_delete_elem", SetLastError = true)]
    internal static partial int MapDeleteElem(int fd, void* key);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem", SetLastError = true)]
    internal static partial int MapLookupElem(int fd, void* key, void* value);

    [LibraryImport(Library, EntryPoint = "btf__find_by_name_kind")]
    internal static partial int BtfFindByNameKind(nint btf, byte* name, uint kind);

    [LibraryImport(Library, EntryPoint = "btf__type_by_id")]
    internal static partial BtfType* BtfTypeById(nint btf, uint id);

    [LibraryImport(Library, EntryPoint = "btf__name_by_offset")]
    internal static partial byte* BtfNameByOffset(nint btf, uint offset);

    [LibraryImport(Library, EntryPoint = "btf__resolve_size")]
    internal static partial long BtfResolveSize(nint btf, uint typeId);

    [LibraryImport(Library, EntryPoint = "ring_buffer__new", SetLastError = true)]
    internal static partial nint RingBufferNew(int mapFd, delegate* unmanaged<void*, void*, nuint, int> sample, void* context, void* options);

    [LibraryImport(Library, EntryPoint = "ring_buffer__poll")]
    internal static partial int RingBufferPoll(nint ringBuffer, int timeoutMs);

    [LibraryImport(Library, EntryPoint = "ring_buffer__consume")]
    internal static partial int RingBufferConsume(nint ringBuffer);

    [LibraryImport(Library, EntryPoint = "ring_buffer__free")]
    internal static partial void RingBufferFree(nint ringBuffer);

    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    internal static partial int NumPossibleCpus();

    [LibraryImport(Library, EntryPoint = "libbpf_set_print")]
    internal static partial nint SetPrint(nint printFunction);

    /// <summary>struct btf_type: name offset, info (vlen in bits 0-15, kind in bits 24-28, kind_flag bit 31), size or type.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfType
    {
        public uint NameOffset;
        public uint Info;
        public uint SizeOrType;

        public readonly int Vlen => (int)(Info & 0xffff);
        public readonly uint Kind => (Info >> 24) & 0x1f;
        public readonly bool KindFlag => (Info >> 31) != 0;
    }

    /// <summary>struct btf_member (follows a STRUCT/UNION btf_type): offset in bits (bitfield size in the top 8 when kind_flag).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfMember
    {
        public uint NameOffset;
        public uint Type;
        public uint Offset;
    }

    /// <summary>struct btf_var_secinfo (follows a DATASEC btf_type).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BtfVarSecInfo
    {
        public uint Type;
        public uint Offset;
        public uint Size;
    }

    internal const uint BtfKindStruct = 4, BtfKindUnion = 5, BtfKindVar = 14, BtfKindDatasec = 15;

    internal static string? Utf8(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((nint)text);
}
