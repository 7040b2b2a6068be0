namespace Dockerbuild.Oci.Registry;

/// <summary>Where a push reads blobs (and child manifests of an index) from, e.g. the content store.</summary>
public interface IBlobSource
{
    /// <summary>Opens the blob for reading from its start. Seekable streams let chunked uploads resume in place.</summary>
    Task<Stream> OpenBlobAsync(Digest digest, CancellationToken cancellationToken);
}
