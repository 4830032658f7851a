using System.Formats.Tar;

namespace SecurityOperator.Compliance.Cis;

/// <summary>Permission bits and numeric owner of one file or directory.</summary>
public readonly record struct FileStatus(int Mode, int Uid, int Gid)
{
    /// <summary>.NET has no public API for a file's owner. The tar writer reads it (lstat: uid, gid, mode) when it
    /// archives a file, so one entry is written to a memory buffer and read back: public, AOT-safe API, no P/Invoke.
    /// The files audited here are small (manifests, kubeconfigs, certificates); directories carry no data.</summary>
    public static FileStatus Read(string localPath)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(localPath, "entry");
        buffer.Position = 0;
        using var reader = new TarReader(buffer);
        var entry = reader.GetNextEntry() ?? throw new IOException($"{localPath}: could not read its status");
        return new FileStatus((int)entry.Mode & 0b111_111_111, entry.Uid, entry.Gid);
    }

    public string ModeText => Convert.ToString(Mode, 8).PadLeft(3, '0');
}
