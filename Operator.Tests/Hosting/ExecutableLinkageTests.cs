using System.Buffers.Binary;
using SecurityOperator.Hosting;

namespace SecurityOperator.Tests.Hosting;

/// <summary>ExecutableLinkage reads ELF program headers: PT_INTERP present means dynamically linked. Hand-made ELF
/// files pin each branch; /bin/ls and the test build's own apphost are real dynamic executables.</summary>
public sealed class ExecutableLinkageTests : IDisposable
{
    private const uint PtLoad = 1, PtInterp = 3, PtPhdr = 6;
    private const string Static = "yes (no ELF interpreter, no shared libraries)";

    private readonly string _dir = Directory.CreateTempSubdirectory("linkage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A 64-bit little-endian x86-64 ELF header followed by program headers of the given types.</summary>
    private static byte[] Elf(uint[] programHeaderTypes, byte elfClass = 2, byte dataEncoding = 1, ushort entrySize = 56,
        long? programHeaderOffset = null, ushort? count = null)
    {
        var bytes = new byte[64 + programHeaderTypes.Length * entrySize];
        "\u007fELF"u8.CopyTo(bytes);
        bytes[4] = elfClass;
        bytes[5] = dataEncoding;
        bytes[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x10), 2);    // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x12), 0x3e); // EM_X86_64
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(0x20), programHeaderOffset ?? (programHeaderTypes.Length == 0 ? 0 : 64));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x34), 64);   // e_ehsize
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x36), entrySize);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x38), count ?? (ushort)programHeaderTypes.Length);
        for (var i = 0; i < programHeaderTypes.Length; i++)
            if (entrySize >= 4) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(64 + i * entrySize), programHeaderTypes[i]);
        return bytes;
    }

    [Fact]
    public void An_elf_without_program_headers_is_static() =>
        Assert.Equal(Static, ExecutableLinkage.Inspect(Write("tiny", Elf([]))));

    [Fact]
    public void An_elf_with_only_load_segments_is_static() =>
        Assert.Equal(Static, ExecutableLinkage.Inspect(Write("static", Elf([PtPhdr, PtLoad, PtLoad]))));

    [Fact]
    public void An_elf_with_an_interpreter_header_is_dynamic_and_named() =>
        Assert.Equal("no (dynamically linked: app needs an ELF interpreter)",
            ExecutableLinkage.Inspect(Write("app", Elf([PtPhdr, PtInterp, PtLoad]))));

    [Fact]
    public void The_interpreter_header_is_found_in_the_last_slot() =>
        Assert.StartsWith("no (", ExecutableLinkage.Inspect(Write("app", Elf([PtLoad, PtLoad, PtLoad, PtInterp]))));

    [Fact]
    public void A_real_dynamic_executable_is_not_static() =>
        Assert.Equal("no (dynamically linked: ls needs an ELF interpreter)", ExecutableLinkage.Inspect("/bin/ls"));

    [Fact]
    public void The_jit_apphost_of_this_build_is_not_static() =>
        Assert.Equal("no (dynamically linked: security-operator needs an ELF interpreter)",
            ExecutableLinkage.Inspect(Path.Combine(AppContext.BaseDirectory, "security-operator")));

    [Fact]
    public void A_text_file_is_not_an_elf_file() =>
        Assert.Equal("unknown (not an ELF file)", ExecutableLinkage.Inspect(Write("script.sh", "#!/bin/sh\necho hello, this is long enough to fill an ELF header of sixty-four bytes\n"u8.ToArray())));

    [Fact]
    public void A_file_shorter_than_an_elf_header_is_not_an_elf_file() =>
        Assert.Equal("unknown (not an ELF file)", ExecutableLinkage.Inspect(Write("short", Elf([])[..40])));

    [Fact]
    public void An_empty_file_is_not_an_elf_file() =>
        Assert.Equal("unknown (not an ELF file)", ExecutableLinkage.Inspect(Write("empty", [])));

    [Theory]
    [InlineData(1, 1)] // 32-bit
    [InlineData(2, 2)] // big-endian
    public void Other_elf_flavours_are_unknown(byte elfClass, byte dataEncoding) =>
        Assert.Equal("unknown (not a 64-bit little-endian ELF)",
            ExecutableLinkage.Inspect(Write("other", Elf([PtInterp], elfClass, dataEncoding))));

    [Fact]
    public void Program_headers_past_the_end_of_the_file_are_truncated() =>
        Assert.Equal("unknown (truncated program headers)", ExecutableLinkage.Inspect(Write("cut", Elf([], count: 2, programHeaderOffset: 64))));

    [Fact]
    public void A_missing_file_is_unknown_with_the_reason()
    {
        var path = Path.Combine(_dir, "missing");
        var result = ExecutableLinkage.Inspect(path);
        Assert.StartsWith("unknown (", result);
        Assert.Contains(path, result);
    }

    [Fact]
    public void A_directory_is_unknown() => Assert.StartsWith("unknown (", ExecutableLinkage.Inspect(_dir));

    [Fact]
    public void No_process_path_is_unknown() => Assert.Equal("unknown (no process path)", ExecutableLinkage.Inspect(null));

    [Fact]
    public void A_program_header_size_too_small_for_its_type_field_is_unknown() =>
        Assert.StartsWith("unknown (", ExecutableLinkage.Inspect(Write("corrupt", Elf([PtLoad], entrySize: 2))));

    [Fact]
    public void A_negative_program_header_offset_is_unknown() =>
        Assert.StartsWith("unknown (", ExecutableLinkage.Inspect(Write("corrupt", Elf([PtLoad], programHeaderOffset: -8))));
}
