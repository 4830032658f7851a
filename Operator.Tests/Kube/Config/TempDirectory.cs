using System.Text;

namespace SecurityOperator.Tests.Kube.Config;

/// <summary>A temporary directory removed at the end of the test, with helpers to write files and executable scripts.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("kubecfg-").FullName;

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content, new UTF8Encoding(false));
        return full;
    }

    public string WriteScript(string relative, string body)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("exec plugin tests use /bin/sh scripts");
        var full = Write(relative, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
