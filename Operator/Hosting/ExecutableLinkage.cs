using System.Buffers.Binary;

namespace SecurityOperator.Hosting;

/// <summary>Reads the ELF program headers of an executable: a dynamically linked one has a PT_INTERP header naming the
/// dynamic loader; a static (or static-pie) one has none. That is the fact `ldd` reports, checked from inside.</summary>
public static class ExecutableLinkage
{
    private const uint PtInterp = 3;

    public static string Inspect(string? path)
    {
        if (path is null) return "unknown (no process path)";
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> header = stackalloc byte[64];
            if (file.Read(header) < 64 || !header[..4].SequenceEqual("\u007fELF"u8)) return "unknown (not an ELF file)";
            if (header[4] != 2 || header[5] != 1) return "unknown (not a 64-bit little-endian ELF)";
            var phoff = BinaryPrimitives.ReadInt64LittleEndian(header[0x20..]);
            var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x36..]);
            var phnum = BinaryPrimitives.ReadUInt16LittleEndian(header[0x38..]);
            // An ELF64 program header is 56 bytes (Elf64_Phdr); anything else, or headers outside the file, is corrupt.
            if (phnum > 0 && (phentsize < 56 || phoff < 64)) return "unknown (corrupt program header table)";
            if (phnum > 0 && phoff + (long)phnum * phentsize > file.Length) return "unknown (truncated program headers)";
            Span<byte> entry = stackalloc byte[phentsize];
            for (var i = 0; i < phnum; i++)
            {
                file.Position = phoff + (long)i * phentsize;
                if (file.Read(entry) < phentsize) return "unknown (truncated program headers)";
                if (BinaryPrimitives.ReadUInt32LittleEndian(entry) == PtInterp)
                    return $"no (dynamically linked: {Path.GetFileName(path)} needs an ELF interpreter)";
            }
            return "yes (no ELF interpreter, no shared libraries)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"unknown ({e.Message})";
        }
    }
}
