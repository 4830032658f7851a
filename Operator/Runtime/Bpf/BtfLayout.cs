using System.Text;

namespace SecurityOperator.Runtime.Bpf;

/// <summary>One member of a C struct or union as the object's BTF records it.</summary>
public readonly record struct BtfField(string Name, int Offset, int Size, uint TypeId);

/// <summary>Reads struct layouts and global-variable offsets from an object's BTF: the compiler's own account of the
/// C side, which the C# mirrors are checked against.</summary>
public static unsafe class BtfLayout
{
    /// <summary>Size in bytes of a named struct or union, or -1 when the BTF does not have it.</summary>
    public static long SizeOf(nint btf, string name)
    {
        var id = Find(btf, name, LibBpf.BtfKindStruct);
        if (id <= 0) id = Find(btf, name, LibBpf.BtfKindUnion);
        return id <= 0 ? -1 : LibBpf.BtfResolveSize(btf, (uint)id);
    }

    /// <summary>Members of a named struct or union (bytes); null when the BTF does not have it.</summary>
    public static IReadOnlyList<BtfField>? Members(nint btf, string name)
    {
        var id = Find(btf, name, LibBpf.BtfKindStruct);
        if (id <= 0) id = Find(btf, name, LibBpf.BtfKindUnion);
        return id <= 0 ? null : Members(btf, (uint)id);
    }

    /// <summary>Members of the struct or union with this type id (typedefs and qualifiers are not followed).</summary>
    public static IReadOnlyList<BtfField> Members(nint btf, uint typeId)
    {
        var type = LibBpf.BtfTypeById(btf, typeId);
        var members = (LibBpf.BtfMember*)(type + 1);
        var fields = new List<BtfField>(type->Vlen);
        for (var i = 0; i < type->Vlen; i++)
        {
            var bits = type->KindFlag ? members[i].Offset & 0xffffff : members[i].Offset;
            fields.Add(new BtfField(LibBpf.Utf8(LibBpf.BtfNameByOffset(btf, members[i].NameOffset)) ?? "", (int)(bits / 8),
                (int)LibBpf.BtfResolveSize(btf, members[i].Type), members[i].Type));
        }
        return fields;
    }

    /// <summary>Whether the type with this id is a struct or union (to recurse into nested and anonymous members).</summary>
    public static bool IsComposite(nint btf, uint typeId, out string name)
    {
        var type = LibBpf.BtfTypeById(btf, typeId);
        name = LibBpf.Utf8(LibBpf.BtfNameByOffset(btf, type->NameOffset)) ?? "";
        return type->Kind is LibBpf.BtfKindStruct or LibBpf.BtfKindUnion;
    }

    /// <summary>Offset of a global variable inside its data section (".rodata", ".bss"), or -1.</summary>
    public static int VariableOffset(nint btf, string section, string variable)
    {
        var id = Find(btf, section, LibBpf.BtfKindDatasec);
        if (id <= 0) return -1;
        var type = LibBpf.BtfTypeById(btf, (uint)id);
        var vars = (LibBpf.BtfVarSecInfo*)(type + 1);
        for (var i = 0; i < type->Vlen; i++)
        {
            var var = LibBpf.BtfTypeById(btf, vars[i].Type);
            if (LibBpf.Utf8(LibBpf.BtfNameByOffset(btf, var->NameOffset)) == variable) return (int)vars[i].Offset;
        }
        return -1;
    }

    private static int Find(nint btf, string name, uint kind)
    {
        var bytes = Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* p = bytes) return LibBpf.BtfFindByNameKind(btf, p, kind);
    }
}
