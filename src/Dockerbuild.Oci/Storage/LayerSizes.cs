using System.Formats.Tar;
using System.Globalization;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Oci.Storage;

/// <summary>
/// The size of a stored layer's contents as docker reports it in history SIZE and inspect's Size: the sum
/// of its tar entries' sizes (moby's UnpackLayer adds up each header's size, so directories, links and
/// whiteouts count 0 and tar headers and padding not at all). Measured once by reading the decompressed
/// tar, then kept as one small file per layer digest under <c>ROOT/layer-sizes/</c>: a digest names its
/// content, so a recorded size never goes stale.
/// </summary>
public static class LayerSizes
{
    private const string DirectoryName = "layer-sizes";

    /// <summary>Remembers a measured size; best effort, as the size can always be measured again.</summary>
    private static async Task RecordAsync(BlobStore blobs, Digest layer, long uncompressedSize, CancellationToken cancellationToken)
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

    /// <summary>The size of the layer's contents, recorded or measured (and recorded); the blob's compression is detected, as its media type may not say.</summary>
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
        long total = 0;
        // Go's archive/tar, which docker reads layers with, accepts a tar without its end marker (umoci writes them).
        await using var reader = new TarReader(new TarEndMarkerStream(stream), leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            total += entry.Length;
        }

        return total;
    }
}
