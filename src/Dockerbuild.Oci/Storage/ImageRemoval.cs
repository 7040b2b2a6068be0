namespace Dockerbuild.Oci.Storage;

/// <summary>What rmi or prune did, in docker's terms: names untagged, images and blobs deleted.</summary>
public sealed record ImageRemoval
{
    public IReadOnlyList<ImageReference> Untagged { get; init; } = [];

    /// <summary>Image IDs removed.</summary>
    public IReadOnlyList<Digest> DeletedImages { get; init; } = [];

    /// <summary>Blobs removed from the content store.</summary>
    public IReadOnlyList<Digest> DeletedBlobs { get; init; } = [];

    public long ReclaimedBytes { get; init; }
}
