namespace Dockerbuild.Oci;

/// <summary>
/// Somewhere blobs can be read from by digest (the local store, an OCI layout, an unpacked archive, a
/// registry). The stream verifies the digest as it is read and throws <see cref="DigestMismatchException"/>
/// at the end when the bytes are not what the digest names.
/// </summary>
public interface IBlobSource
{
    /// <summary>Opens the blob; throws <see cref="BlobNotFoundException"/> when it is absent.</summary>
    Task<Stream> OpenBlobAsync(Digest digest, CancellationToken cancellationToken);
}
