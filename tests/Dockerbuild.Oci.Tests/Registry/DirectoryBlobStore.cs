using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>
/// A test content store: one file per digest. Writes go to a temp file, are hashed independently of the
/// client, and are renamed into place only when the digest matches.
/// </summary>
internal sealed class DirectoryBlobStore : IBlobSource, IBlobSink, IDisposable
{
    public DirectoryBlobStore()
    {
        Root = Directory.CreateTempSubdirectory("dockerbuild-blobs-").FullName;
    }

    public string Root { get; }

    public string PathOf(Digest digest) => Path.Combine(Root, digest.Hex);

    public bool Contains(Digest digest) => File.Exists(PathOf(digest));

    public async Task AddAsync(ReadOnlyMemory<byte> content)
    {
        await File.WriteAllBytesAsync(PathOf(Digest.Compute(content.Span)), content.ToArray());
    }

    public Task<Stream> OpenBlobAsync(Digest digest, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(File.OpenRead(PathOf(digest)));

    public ValueTask<bool> ContainsBlobAsync(Digest digest, CancellationToken cancellationToken) => ValueTask.FromResult(Contains(digest));

    public async Task WriteBlobAsync(Descriptor blob, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Root, $".tmp-{Guid.NewGuid():N}");
        try
        {
            await using (var stream = File.Create(temp))
            {
                await write(stream, cancellationToken);
            }

            await using (var check = File.OpenRead(temp))
            {
                var actual = await Digest.ComputeAsync(check, cancellationToken);
                Assert.Equal(blob.Digest, actual);
                Assert.Equal(blob.Size, check.Length);
            }

            File.Move(temp, PathOf(blob.Digest), overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
