namespace Dockerbuild.Oci.Registry;

/// <summary>Where a pull writes blobs to, e.g. the content store.</summary>
public interface IBlobSink
{
    /// <summary>Whether the blob is present already, so the pull skips it.</summary>
    ValueTask<bool> ContainsBlobAsync(Digest digest, CancellationToken cancellationToken);

    /// <summary>
    /// Stores one blob: the sink opens a private stream (e.g. a temp file), calls <paramref name="write"/>,
    /// which fills it and returns only once the content is complete and its digest verified, and then
    /// commits it under its digest. If <paramref name="write"/> throws, nothing must become visible.
    /// </summary>
    Task WriteBlobAsync(Descriptor blob, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);
}
