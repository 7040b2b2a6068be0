namespace Dockerbuild.Engine.Caching;

/// <summary>One unit prune reclaims, as a BuildKit cache record: its files, size and last use.</summary>
/// <param name="Shared">Its layers belong to a local image (BuildKit's "shared"), which keeps it without --all.</param>
internal sealed record CacheRecord(string Id, CacheRecordKind Kind, string Path, long Size, DateTime LastUsedUtc, bool Shared)
{
    /// <summary>The blobs a step entry references (none for other kinds).</summary>
    public IReadOnlyList<Oci.Digest> Blobs { get; init; } = [];
}
