namespace SecurityOperator.Policy.Conditions;

/// <summary>A container image reference split the way the container runtimes' reference parser (distribution/reference)
/// normalizes it: the first path segment is a registry host only if it contains '.' or ':' or is "localhost";
/// otherwise the registry is docker.io, and a single-segment Docker Hub name gets "library/". index.docker.io is
/// docker.io. "@" starts a digest, a ':' after the last '/' starts a tag.</summary>
public readonly ref struct ImageReference
{
    public ReadOnlySpan<byte> Domain { get; }
    public ReadOnlySpan<byte> Path { get; }
    public ReadOnlySpan<byte> Tag { get; }
    public ReadOnlySpan<byte> Digest { get; }
    /// <summary>Docker Hub official image written without "library/".</summary>
    public bool ImplicitLibrary { get; }

    private ImageReference(ReadOnlySpan<byte> domain, ReadOnlySpan<byte> path, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> digest, bool implicitLibrary)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
        ImplicitLibrary = implicitLibrary;
    }

    public bool HasTag => Tag.Length > 0;
    public bool HasDigest => Digest.Length > 0;

    public static ImageReference Parse(ReadOnlySpan<byte> image)
    {
        ReadOnlySpan<byte> digest = default;
        var at = image.IndexOf((byte)'@');
        if (at >= 0) { digest = image[(at + 1)..]; image = image[..at]; }
        ReadOnlySpan<byte> domain = "docker.io"u8;
        var rest = image;
        var slash = image.IndexOf((byte)'/');
        if (slash > 0 && IsDomain(image[..slash]))
        {
            domain = image[..slash];
            rest = image[(slash + 1)..];
            if (domain.SequenceEqual("index.docker.io"u8)) domain = "docker.io"u8;
        }
        ReadOnlySpan<byte> tag = default;
        var colon = rest.LastIndexOf((byte)':');
        if (colon >= 0) { tag = rest[(colon + 1)..]; rest = rest[..colon]; }
        var implicitLibrary = domain.SequenceEqual("docker.io"u8) && rest.IndexOf((byte)'/') < 0;
        return new ImageReference(domain, rest, tag, digest, implicitLibrary);
    }

    public static bool IsDomain(ReadOnlySpan<byte> segment) =>
        segment.IndexOfAny((byte)'.', (byte)':') >= 0 || segment.SequenceEqual("localhost"u8);

    /// <summary>Upper bound of the normalized length.</summary>
    public int NormalizedLength(bool withTagAndDigest) =>
        Domain.Length + 1 + (ImplicitLibrary ? 8 : 0) + Path.Length
        + (withTagAndDigest ? (HasTag ? Tag.Length + 1 : 0) + (HasDigest ? Digest.Length + 1 : 0) : 0);

    /// <summary>Writes "domain/path" (and ":tag" "@digest" when asked) to <paramref name="destination"/>.</summary>
    public int WriteNormalized(Span<byte> destination, bool withTagAndDigest)
    {
        var n = 0;
        void Put(ReadOnlySpan<byte> part, Span<byte> d) { part.CopyTo(d[n..]); n += part.Length; }
        Put(Domain, destination);
        Put("/"u8, destination);
        if (ImplicitLibrary) Put("library/"u8, destination);
        Put(Path, destination);
        if (withTagAndDigest && HasTag) { Put(":"u8, destination); Put(Tag, destination); }
        if (withTagAndDigest && HasDigest) { Put("@"u8, destination); Put(Digest, destination); }
        return n;
    }
}
