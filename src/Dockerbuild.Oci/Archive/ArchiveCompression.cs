using System.IO.Compression;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Oci.Archive;

/// <summary>Recognizes gzip and zstd by their magic bytes (as docker load does) and unwraps them.</summary>
internal static class ArchiveCompression
{
    public enum Kind
    {
        None,
        Gzip,
        Zstd,
    }

    public static Kind Detect(ReadOnlySpan<byte> header) =>
        header is [0x1f, 0x8b, ..] ? Kind.Gzip
        : header is [0x28, 0xb5, 0x2f, 0xfd, ..] ? Kind.Zstd
        : Kind.None;

    public static string LayerMediaType(Kind kind) => kind switch
    {
        Kind.Gzip => MediaTypes.OciLayerGzip,
        Kind.Zstd => MediaTypes.OciLayerZstd,
        _ => MediaTypes.OciLayer,
    };

    /// <summary>
    /// Reads the first bytes of a (possibly unseekable) stream to detect its compression and returns a
    /// stream of its decompressed content, the peeked bytes included.
    /// </summary>
    public static async Task<(Stream Content, Kind Kind)> OpenAsync(Stream input, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        var filled = 0;
        while (filled < header.Length)
        {
            var read = await input.ReadAsync(header.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        var whole = new PrefixedStream(header.AsMemory(0, filled), input);
        var kind = Detect(header.AsSpan(0, filled));
        Stream content = kind switch
        {
            Kind.Gzip => new GZipStream(whole, CompressionMode.Decompress),
            Kind.Zstd => ZstdStreams.Decompress(whole),
            _ => whole,
        };
        return (content, kind);
    }
}
