namespace Dockerbuild.Oci.Layers;

/// <summary>How a layer blob is written.</summary>
public sealed record LayerWriteOptions
{
    /// <summary>gzip gets 2 and zstd 3 unless set: see <see cref="LayerWriter.DefaultGzipLevel"/>.</summary>
    public int? CompressionLevel { get; init; }

    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>Docker schema 2 media types instead of OCI ones (for gzip; zstd and plain tar exist only as OCI types).</summary>
    public bool DockerMediaTypes { get; init; }

    /// <summary>Clamps every mtime to this instant (SOURCE_DATE_EPOCH): min(mtime, epoch).</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>Threads compressing at once; all cores unless set.</summary>
    public int CompressionThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Gzip members of earlier layers to reuse for unchanged chunks; none by default.</summary>
    public GzipMemberCache? GzipMembers { get; init; }

    /// <summary>The SOURCE_DATE_EPOCH environment variable as an instant, or null when unset or not a number of seconds.</summary>
    public static DateTimeOffset? SourceDateEpochFromEnvironment() =>
        long.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
