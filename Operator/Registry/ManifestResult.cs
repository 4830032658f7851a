namespace SecurityOperator.Registry;

/// <summary>A manifest as downloaded: its verified digest, media type and exact bytes (signatures are over these).</summary>
public sealed record ManifestResult(OciDigest Digest, string MediaType, byte[] Content);

/// <summary>What a HEAD of a manifest tells: digest, media type and size, without the body.</summary>
public sealed record ManifestHead(OciDigest Digest, string MediaType, long Size);
