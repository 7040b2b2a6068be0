namespace Dockerbuild.Engine.Caching;

/// <summary>docker builder prune's options.</summary>
public sealed record BuildCachePruneOptions
{
    /// <summary>
    /// -a: also what BuildKit keeps without it: cache records whose layers a local image uses (the step
    /// entries of its chain, its extracted layer directories) and internal data (the context hash cache).
    /// </summary>
    public bool All { get; init; }

    /// <summary>--filter until=DURATION: only records unused for longer than this.</summary>
    public TimeSpan? UnusedFor { get; init; }

    /// <summary>--keep-storage: least recently used records go first, until the cache is at most this many bytes.</summary>
    public long? KeepStorage { get; init; }
}
