using System.IO.Compression;

namespace Dockerbuild.Oci.Layers;

/// <summary>Recognizes a layer's compression by its magic bytes, whatever its media type claims.</summary>
public static class LayerDecompression
{
    /// <summary>A stream of the uncompressed tar: gzip and zstd are detected, anything else is read as plain tar.</summary>
    public static async Task<Stream> OpenAsync(Stream layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var magic = new byte[4];
        var read = await layer.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        Stream whole = new PrefixedStream(magic.AsMemory(0, read), layer);
        if (read >= 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            return new GZipStream(whole, CompressionMode.Decompress);
        }

        if (read == 4 && magic is [0x28, 0xB5, 0x2F, 0xFD])
        {
            return ZstdStreams.Decompress(whole);
        }

        return whole;
    }
}
