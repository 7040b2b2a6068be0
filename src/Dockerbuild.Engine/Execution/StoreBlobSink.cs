using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>Lets a pull write straight into the blob store.</summary>
internal sealed class StoreBlobSink(BlobStore blobs) : IBlobSink
{
    public ValueTask<bool> ContainsBlobAsync(Digest digest, CancellationToken cancellationToken) => blobs.ContainsBlobAsync(digest, cancellationToken);

    public Task WriteBlobAsync(Descriptor blob, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        blobs.WriteBlobAsync(blob, write, cancellationToken);
}
