namespace Dockerbuild.Oci.Storage;

/// <summary>
/// An image in the local store, keyed by its manifest (or index) digest. <see cref="Id"/> is the
/// config digest, which docker shows as IMAGE ID (for an index, the index digest). An image with no
/// tags is dangling (<c>&lt;none&gt;</c>).
/// </summary>
public sealed record ImageRecord
{
    public required Digest ManifestDigest { get; init; }

    public required string MediaType { get; init; }

    public required Digest Id { get; init; }

    public DateTimeOffset? Created { get; init; }

    /// <summary>Bytes of content the image references (config, manifests and compressed layers).</summary>
    public long Size { get; init; }

    /// <summary>Names pointing at this image: <c>repo:tag</c> and <c>repo@digest</c> references.</summary>
    public IReadOnlyList<ImageReference> Names { get; init; } = [];

    public IEnumerable<ImageReference> Tags => Names.Where(name => name.Tag is not null);

    public IEnumerable<ImageReference> RepoDigests => Names.Where(name => name.Digest is not null);

    public bool IsDangling => !Tags.Any();
}
