namespace Dockerbuild.Oci;

/// <summary>
/// Walks what a manifest or index references, reading only the small JSON documents from a source:
/// the root, then (for an index) each child, then each manifest's config and layers.
/// </summary>
public static class ImageTree
{
    private const long MaxDocumentSize = 4 << 20;

    /// <summary>
    /// Every descriptor under <paramref name="root"/>, children before the documents that point at
    /// them (so copying in this order never publishes a manifest before its blobs). Index children
    /// the source lacks are skipped when <paramref name="skipMissingChildren"/> is set (a single
    /// platform pulled from a multi-platform index).
    /// </summary>
    public static async Task<IReadOnlyList<Descriptor>> WalkAsync(IBlobSource source, Descriptor root, bool skipMissingChildren, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(root);
        var ordered = new List<Descriptor>();
        var seen = new HashSet<Digest>();
        await VisitAsync(source, root, skipMissingChildren, isChild: false, seen, ordered, cancellationToken).ConfigureAwait(false);
        return ordered;
    }

    /// <summary>Reads a whole small document, verified against its digest.</summary>
    public static async Task<byte[]> ReadDocumentAsync(IBlobSource source, Digest digest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var stream = await source.OpenBlobAsync(digest, cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxDocumentSize)
            {
                throw new Json.OciFormatException($"{digest} is too large for a manifest or config ({buffer.Length}+ bytes).");
            }
        }

        return buffer.ToArray();
    }

    private static async Task VisitAsync(IBlobSource source, Descriptor descriptor, bool skipMissing, bool isChild, HashSet<Digest> seen, List<Descriptor> ordered, CancellationToken cancellationToken)
    {
        if (!seen.Add(descriptor.Digest))
        {
            return;
        }

        byte[] bytes;
        try
        {
            bytes = await ReadDocumentAsync(source, descriptor.Digest, cancellationToken).ConfigureAwait(false);
        }
        catch (BlobNotFoundException) when (skipMissing && isChild)
        {
            return;
        }

        var mediaType = Json.OciJson.DetectMediaType(bytes) ?? descriptor.MediaType;
        if (MediaTypes.IsIndex(mediaType))
        {
            foreach (var child in RawJson<ImageIndex>.Parse(bytes).Value.Manifests)
            {
                await VisitAsync(source, child, skipMissing, isChild: true, seen, ordered, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (MediaTypes.IsManifest(mediaType))
        {
            var manifest = RawJson<ImageManifest>.Parse(bytes).Value;
            foreach (var blob in manifest.Layers.Prepend(manifest.Config))
            {
                if (seen.Add(blob.Digest))
                {
                    ordered.Add(blob);
                }
            }
        }
        else
        {
            throw new Json.OciFormatException($"{descriptor.Digest} is not an image manifest or index.");
        }

        ordered.Add(descriptor with { MediaType = mediaType, Size = bytes.Length });
    }
}
