namespace Dockerbuild.Oci.Storage;

/// <summary>
/// Streams one blob into the store. Bytes go to a temporary file beside the blobs; only
/// <see cref="CommitAsync"/> verifies them, syncs them to disk and renames them under their digest.
/// Disposing without committing (an exception mid-stream, a cancelled build) removes the temporary
/// file, and a crash leaves only a temporary file, never a partial blob.
/// </summary>
public sealed class BlobWriter : IAsyncDisposable
{
    private readonly BlobStore store;
    private readonly string temporaryPath;
    private readonly FileStream file;
    private readonly HashingWriteStream hashing;
    private bool finished;

    internal BlobWriter(BlobStore store, string temporaryPath)
    {
        this.store = store;
        this.temporaryPath = temporaryPath;
        file = new FileStream(temporaryPath, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
            BufferSize = 1 << 16,
        });
        hashing = new HashingWriteStream(file);
    }

    /// <summary>Where to write the content. Not seekable.</summary>
    public Stream Stream => hashing;

    /// <summary>Bytes written so far.</summary>
    public long Written => hashing.Written;

    /// <summary>
    /// Verifies the content against <paramref name="expectedDigest"/> and <paramref name="expectedSize"/>
    /// when given (throwing <see cref="DigestMismatchException"/> and keeping nothing otherwise), then
    /// makes the blob visible atomically. Another writer having stored the same blob first is fine.
    /// </summary>
    public async Task<Descriptor> CommitAsync(string mediaType, Digest? expectedDigest = null, long? expectedSize = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(finished, this);
        finished = true;
        try
        {
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
            await file.DisposeAsync().ConfigureAwait(false);
            var size = hashing.Written;
            var digest = hashing.Finish();
            if (expectedSize is { } wantedSize && wantedSize != size)
            {
                throw new DigestMismatchException($"blob {expectedDigest?.ToString() ?? digest.ToString()} is truncated or corrupt: expected {wantedSize} bytes, got {size}.");
            }

            if (expectedDigest is { } wanted && wanted != digest)
            {
                throw new DigestMismatchException(wanted, digest, $"blob {wanted}");
            }

            store.Publish(temporaryPath, digest);
            return new Descriptor(mediaType, digest, size);
        }
        finally
        {
            Discard();
        }
    }

    public async ValueTask DisposeAsync()
    {
        finished = true;
        await file.DisposeAsync().ConfigureAwait(false);
        hashing.Dispose();
        Discard();
    }

    private void Discard()
    {
        try
        {
            File.Delete(temporaryPath);
        }
        catch (IOException)
        {
            // A leftover temporary file is harmless; the next sweep removes it.
        }
    }
}
