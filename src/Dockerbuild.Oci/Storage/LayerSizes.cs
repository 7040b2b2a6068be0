using System.Globalization;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Oci.Storage;

/// <summary>
/// The uncompressed size of stored layers (the length of the layer's tar once decompressed), what docker
/// shows as a history row's SIZE. Kept as one small file per layer digest under <c>ROOT/layer-sizes/</c>:
/// a digest names its content, so a recorded size never goes stale. Writers that know the size record it;
/// otherwise it is measured once by decompressing the blob.
/// </summary>
public static class LayerSizes
{
    private const string DirectoryName = "layer-sizes";

    /// <summary>Remembers what a layer writer measured; best effort, as the size can always be measured again.</summary>
    public static async Task RecordAsync(BlobStore blobs, Digest layer, long uncompressedSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        if (layer.Algorithm != "sha256")
        {
            return;
        }

        var directory = Path.Combine(blobs.Root, DirectoryName);
        var path = Path.Combine(directory, layer.Hex);
        try
        {
            Directory.CreateDirectory(directory);
            var temporary = Path.Combine(directory, "." + layer.Hex + "." + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(temporary, uncompressedSize.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full store still answers by decompressing.
        }
    }

    /// <summary>The layer's uncompressed size, recorded or measured (and recorded); the blob's compression is detected, as its media type may not say.</summary>
    public static async Task<long> GetAsync(BlobStore blobs, Descriptor layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.Digest.Algorithm == "sha256"
            && await TryReadAsync(Path.Combine(blobs.Root, DirectoryName, layer.Digest.Hex), cancellationToken).ConfigureAwait(false) is { } known)
        {
            return known;
        }

        long size;
        await using (var blob = await blobs.OpenBlobAsync(layer.Digest, cancellationToken).ConfigureAwait(false))
        await using (var tar = await LayerDecompression.OpenAsync(blob, cancellationToken).ConfigureAwait(false))
        {
            size = await CountAsync(tar, cancellationToken).ConfigureAwait(false);
        }

        await RecordAsync(blobs, layer.Digest, size, cancellationToken).ConfigureAwait(false);
        return size;
    }

    /// <summary>Drops what was recorded for a removed blob.</summary>
    public static void Forget(BlobStore blobs, Digest layer)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        if (layer.Algorithm != "sha256")
        {
            return;
        }

        try
        {
            File.Delete(Path.Combine(blobs.Root, DirectoryName, layer.Hex));
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever recorded in this store.
        }
    }

    private static async Task<long?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static async Task<long> CountAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 17];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total;
    }
}
