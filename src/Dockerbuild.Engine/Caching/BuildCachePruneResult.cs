namespace Dockerbuild.Engine.Caching;

/// <summary>What a build cache prune removed.</summary>
/// <param name="DeletedRecords">IDs of the cache records removed: step keys, cache mount and extracted layer IDs.</param>
/// <param name="ReclaimedBytes">Bytes of files removed, blobs included.</param>
public sealed record BuildCachePruneResult(IReadOnlyList<string> DeletedRecords, long ReclaimedBytes);
