namespace Dockerbuild.Oci.Storage;

/// <summary>
/// One runnable image from the local store: its manifest and config as parsed documents with their
/// exact bytes, and its layers, read verified from the blob store. For an index, this is the manifest
/// chosen for a platform; <see cref="Record"/> still describes the stored image.
/// </summary>
public sealed class LocalImage
{
    private readonly BlobStore blobs;

    internal LocalImage(ImageRecord record, RawJson<ImageManifest> manifest, RawJson<ImageConfig> config, BlobStore blobs)
    {
        Record = record;
        Manifest = manifest;
        Config = config;
        this.blobs = blobs;
    }

    public ImageRecord Record { get; }

    public RawJson<ImageManifest> Manifest { get; }

    public RawJson<ImageConfig> Config { get; }

    public IReadOnlyList<Descriptor> Layers => Manifest.Value.Layers;

    /// <summary>The layer blob as stored (compressed as its media type says), verified as it is read.</summary>
    public Task<Stream> OpenLayerAsync(Descriptor layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return blobs.OpenBlobAsync(layer.Digest, cancellationToken);
    }
}
