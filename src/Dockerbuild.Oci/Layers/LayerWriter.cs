using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// Writes a layer blob in one streaming pass: tar → sha256 (diffID) → compressor → sha256 and byte
/// count (digest, size) → destination. Nothing is buffered beyond the compressor's chunks.
/// </summary>
public static class LayerWriter
{
    /// <summary>
    /// zlib-ng's level 6 (Go's and so BuildKit's default): its output stays close to level 9 while
    /// on two cores the parallel compressor keeps up with sha256 and tar writing of most contexts.
    /// Level 1 is roughly twice as fast for about 15% bigger layers; see LayerBenchmarks.
    /// </summary>
    public const int DefaultGzipLevel = 6;

    /// <summary>zstd's own default, as BuildKit uses.</summary>
    public const int DefaultZstdLevel = 3;

    /// <summary>Writes <paramref name="entries"/> as a deterministic tar, compressed per <paramref name="options"/>.</summary>
    public static Task<LayerDescriptorInfo> WriteAsync(
        IEnumerable<LayerEntry> entries,
        Stream destination,
        LayerWriteOptions options,
        CancellationToken cancellationToken) =>
        WriteCoreAsync(
            (tar, ct) => LayerTarWriter.WriteAsync(entries, tar, options.SourceDateEpoch, ct),
            destination,
            options,
            cancellationToken);

    /// <summary>Compresses an existing uncompressed tar (docker import, foreign layers) as it is.</summary>
    public static Task<LayerDescriptorInfo> CompressAsync(
        Stream uncompressedTar,
        Stream destination,
        LayerWriteOptions options,
        CancellationToken cancellationToken) =>
        WriteCoreAsync(
            (tar, ct) => uncompressedTar.CopyToAsync(tar, 128 * 1024, ct),
            destination,
            options,
            cancellationToken);

    public static string MediaTypeOf(LayerCompression compression, bool dockerMediaTypes) => compression switch
    {
        LayerCompression.Gzip => dockerMediaTypes ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip,
        LayerCompression.Zstd => MediaTypes.OciLayerZstd,
        LayerCompression.None => MediaTypes.OciLayer,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Unknown layer compression."),
    };

    private static async Task<LayerDescriptorInfo> WriteCoreAsync(
        Func<Stream, CancellationToken, Task> writeTar,
        Stream destination,
        LayerWriteOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        var threads = Math.Max(1, options.CompressionThreads);

        await using var compressed = new HashingWriteStream(destination);
        HashingWriteStream uncompressed;
        switch (options.Compression)
        {
            case LayerCompression.Gzip:
            {
                await using var gzip = new ParallelGzipStream(compressed, options.CompressionLevel ?? DefaultGzipLevel, threads);
                uncompressed = new HashingWriteStream(gzip);
                await writeTar(uncompressed, cancellationToken).ConfigureAwait(false);
                await gzip.FinishAsync(cancellationToken).ConfigureAwait(false);
                break;
            }

            case LayerCompression.Zstd:
            {
                var zstd = new CompressionStream(compressed, options.CompressionLevel ?? DefaultZstdLevel, leaveOpen: true);
                await using (zstd.ConfigureAwait(false))
                {
                    if (threads > 1)
                    {
                        zstd.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, threads);
                    }

                    uncompressed = new HashingWriteStream(zstd);
                    await writeTar(uncompressed, cancellationToken).ConfigureAwait(false);
                }

                break;
            }

            case LayerCompression.None:
                uncompressed = new HashingWriteStream(compressed);
                await writeTar(uncompressed, cancellationToken).ConfigureAwait(false);
                break;

            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Compression, "Unknown layer compression.");
        }

        await compressed.FlushAsync(cancellationToken).ConfigureAwait(false);
        using (uncompressed)
        {
            return new LayerDescriptorInfo(
                uncompressed.GetDigest(),
                compressed.GetDigest(),
                compressed.Length,
                MediaTypeOf(options.Compression, options.DockerMediaTypes),
                uncompressed.Length);
        }
    }
}
