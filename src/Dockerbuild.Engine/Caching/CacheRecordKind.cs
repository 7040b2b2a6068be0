namespace Dockerbuild.Engine.Caching;

internal enum CacheRecordKind
{
    /// <summary>A step cache entry (BuildKit's "regular" record).</summary>
    Step,

    /// <summary>A RUN --mount=type=cache directory (exec.cachemount).</summary>
    CacheMount,

    /// <summary>An extracted layer directory, re-made from its blob when needed.</summary>
    Layer,

    /// <summary>The context hash cache (BuildKit's internal records), removed with --all only.</summary>
    Internal,
}
