namespace SecurityOperator.Runtime.Bpf;

/// <summary>The compiled bpf/runtime.bpf.c embedded by Operator.csproj (target EmbedBpfObjects).</summary>
public static class EmbeddedObject
{
    public const string ResourceName = "bpf/runtime.bpf.o";

    /// <summary>The object's bytes, or null when this build had no eBPF toolchain (bpf/build.sh said what was missing).</summary>
    public static byte[]? Read()
    {
        using var stream = typeof(EmbeddedObject).Assembly.GetManifestResourceStream(ResourceName);
        if (stream is null) return null;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
