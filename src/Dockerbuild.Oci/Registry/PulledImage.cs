namespace Dockerbuild.Oci.Registry;

/// <summary>
/// The result of a pull: the reference pinned to the digest it resolved to, the index (when the
/// reference named one) and the platform's image manifest; all blobs are in the sink.
/// </summary>
public sealed record PulledImage(ImageReference Reference, RegistryManifest Manifest, RegistryManifest? Index)
{
    /// <summary>The digest docker prints after a pull: the index's when there is one, else the manifest's.</summary>
    public Digest Digest => Index?.Digest ?? Manifest.Digest;
}
