namespace Dockerbuild.Oci.Layers;

/// <summary>
/// What a written layer is known by: the diffID (sha256 of the uncompressed tar, for the image
/// config's rootfs) and the digest, size and media type of the blob as stored (for the manifest).
/// </summary>
public sealed record LayerDescriptorInfo(Digest DiffId, Digest Digest, long Size, string MediaType, long UncompressedSize);
