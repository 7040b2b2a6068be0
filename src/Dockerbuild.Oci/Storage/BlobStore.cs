namespace Dockerbuild.Oci.Storage;

/// <summary>
/// Content-addressed blobs under <c>ROOT/blobs/sha256/&lt;hex&gt;</c> (the OCI layout's shape). A blob
/// exists under its digest only once its bytes were verified and synced; readers verify again, so
/// corruption on disk is refused rather than passed on. Safe for several processes at once: writers
/// use private temporary files and an atomic rename, and renaming identical content twice is harmless.
/// </summary>
public sealed class BlobStore : IBlobSource, Registry.IBlobSink
{
    private const string TemporaryPrefix = "blob-";

    public BlobStore(string root)
    {
        Root = Path.GetFullPath(root);
        BlobsDirectory = Path.Combine(Root, "blobs", "sha256");
        TemporaryDirectory = Path.Combine(Root, "tmp");
    }

    public string Root { get; }

    /// <summary>The directory holding <c>&lt;hex&gt;</c> files.</summary>
    public string BlobsDirectory { get; }

    /// <summary>Where writes are staged; on the same filesystem so the final rename is atomic.</summary>
    public string TemporaryDirectory { get; }

    public string PathOf(Digest digest)
    {
        if (digest.Algorithm != "sha256")
        {
            throw new NotSupportedException($"Cannot store {digest}: only sha256 content is supported.");
        }

        return Path.Combine(BlobsDirectory, digest.Hex);
    }

    public bool Contains(Digest digest) => digest.Algorithm == "sha256" && File.Exists(PathOf(digest));

    /// <summary>The stored size, or null when absent.</summary>
    public long? SizeOf(Digest digest)
    {
        var info = new FileInfo(PathOf(digest));
        return info.Exists ? info.Length : null;
    }

    /// <summary>Starts a streamed write; see <see cref="BlobWriter"/>.</summary>
    public BlobWriter CreateWriter()
    {
        Directory.CreateDirectory(TemporaryDirectory);
        Directory.CreateDirectory(BlobsDirectory);
        return new BlobWriter(this, Path.Combine(TemporaryDirectory, TemporaryPrefix + Guid.NewGuid().ToString("N")));
    }

    /// <summary>Copies <paramref name="content"/> into the store, verifying it when a digest or size is expected.</summary>
    public async Task<Descriptor> WriteAsync(Stream content, string mediaType, Digest? expectedDigest = null, long? expectedSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (expectedDigest is { } known && expectedSize is { } knownSize && SizeOf(known) == knownSize)
        {
            Touch(known);
            return new Descriptor(mediaType, known, knownSize);
        }

        await using var writer = CreateWriter();
        await content.CopyToAsync(writer.Stream, 1 << 16, cancellationToken).ConfigureAwait(false);
        return await writer.CommitAsync(mediaType, expectedDigest, expectedSize, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Descriptor> WriteAsync(ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken = default)
    {
        var digest = Digest.Compute(content.Span);
        if (SizeOf(digest) == content.Length)
        {
            Touch(digest);
            return new Descriptor(mediaType, digest, content.Length);
        }

        await using var writer = CreateWriter();
        await writer.Stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        return await writer.CommitAsync(mediaType, digest, content.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the blob is present (a pull skips it).</summary>
    public ValueTask<bool> ContainsBlobAsync(Digest digest, CancellationToken cancellationToken) => ValueTask.FromResult(Contains(digest));

    /// <summary>
    /// Stores one blob that <paramref name="write"/> produces (e.g. a download): it writes into a private
    /// temporary stream, and the blob becomes visible only if it then matches <paramref name="blob"/>'s
    /// digest and size. If <paramref name="write"/> throws, nothing is kept.
    /// </summary>
    public async Task WriteBlobAsync(Descriptor blob, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(write);
        await using var writer = CreateWriter();
        await write(writer.Stream, cancellationToken).ConfigureAwait(false);
        await writer.CommitAsync(blob.MediaType, blob.Digest, blob.Size, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a document's exact bytes.</summary>
    public Task<Descriptor> WriteAsync<T>(RawJson<T> document, string mediaType, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(document);
        return WriteAsync(document.Bytes, mediaType, cancellationToken);
    }

    /// <summary>
    /// Opens a blob for reading; the stream throws <see cref="DigestMismatchException"/> at its end if the
    /// file is corrupt. It can seek (a resumed upload), still verifying the whole content.
    /// </summary>
    public Task<Stream> OpenBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        FileStream file;
        try
        {
            // Synchronous reads, made directly by the verifying stream (Layers.LocalFileRead): a build
            // reads a blob per cached step, and pool-thread hops per read wait for a core when it is busy.
            file = new FileStream(PathOf(digest), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(digest, $"the local store ({Root})");
        }

        return Task.FromResult<Stream>(new DigestVerifyingStream(file, digest, file.Length, $"stored blob {digest}"));
    }

    /// <summary>Reads a whole (small) blob, verified: manifests and configs.</summary>
    public async Task<byte[]> ReadAllBytesAsync(Digest digest, CancellationToken cancellationToken)
    {
        await using var stream = await OpenBlobAsync(digest, cancellationToken).ConfigureAwait(false);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>Reads and parses a stored document, keeping its exact bytes.</summary>
    public async Task<RawJson<T>> ReadJsonAsync<T>(Digest digest, CancellationToken cancellationToken)
        where T : class =>
        RawJson<T>.Parse(await ReadAllBytesAsync(digest, cancellationToken).ConfigureAwait(false));

    public IEnumerable<Digest> List()
    {
        if (!Directory.Exists(BlobsDirectory))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(BlobsDirectory))
        {
            if (Digest.TryParse("sha256:" + Path.GetFileName(path), out var digest))
            {
                yield return digest;
            }
        }
    }

    /// <summary>Removes a blob; true when it was there.</summary>
    public bool Delete(Digest digest)
    {
        var path = PathOf(digest);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        LayerSizes.Forget(this, digest);
        return true;
    }

    /// <summary>
    /// Removes temporary files and spool directories (archive load/save) untouched for
    /// <paramref name="olderThan"/>: what crashed writers left behind.
    /// </summary>
    public int SweepTemporaryFiles(TimeSpan olderThan)
    {
        if (!Directory.Exists(TemporaryDirectory))
        {
            return 0;
        }

        var removed = 0;
        var cutoff = DateTime.UtcNow - olderThan;
        foreach (var entry in new DirectoryInfo(TemporaryDirectory).EnumerateFileSystemInfos())
        {
            try
            {
                if (entry is DirectoryInfo directory)
                {
                    var lastTouched = directory.EnumerateFiles("*", SearchOption.AllDirectories).Select(file => file.LastWriteTimeUtc).Append(directory.LastWriteTimeUtc).Max();
                    if (lastTouched <= cutoff)
                    {
                        directory.Delete(recursive: true);
                        removed++;
                    }
                }
                else if (entry.LastWriteTimeUtc <= cutoff)
                {
                    entry.Delete();
                    removed++;
                }
            }
            catch (IOException)
            {
                // Another process may be sweeping too.
            }
        }

        return removed;
    }

    /// <summary>When the blob was last written or re-used (garbage collection spares recent blobs).</summary>
    internal DateTime LastUsedUtc(Digest digest) => File.GetLastWriteTimeUtc(PathOf(digest));

    internal void Publish(string temporaryPath, Digest digest)
    {
        // rename(2) replaces atomically; a concurrent writer of the same digest wrote the same bytes.
        File.Move(temporaryPath, PathOf(digest), overwrite: true);
    }

    // Marks a blob as freshly wanted, so a concurrent garbage collection's grace period covers a
    // writer that found it already present and is about to reference it.
    private void Touch(Digest digest)
    {
        try
        {
            File.SetLastWriteTimeUtc(PathOf(digest), DateTime.UtcNow);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
