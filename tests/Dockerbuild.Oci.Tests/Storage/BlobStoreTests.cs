using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Storage;

public sealed class BlobStoreTests : IDisposable
{
    private readonly TempDirectory root = new("dockerbuild-oci-tests-");
    private readonly BlobStore store;

    public BlobStoreTests() => store = new BlobStore(root.Path);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task AWrittenBlobLivesUnderItsDigestAndReadsBack()
    {
        var content = "hello blob"u8.ToArray();

        var descriptor = await store.WriteAsync(new MemoryStream(content), "text/plain", cancellationToken: Token);

        Assert.Equal(Digest.Compute(content), descriptor.Digest);
        Assert.Equal(content.Length, descriptor.Size);
        Assert.Equal(root.Combine("blobs", "sha256", descriptor.Digest.Hex), store.PathOf(descriptor.Digest));
        Assert.Equal(content, await store.ReadAllBytesAsync(descriptor.Digest, Token));
        Assert.Empty(Directory.EnumerateFiles(store.TemporaryDirectory));
    }

    [Fact]
    public async Task AWriteThatFailsMidStreamLeavesNoBlobAndNoTemporaryFile()
    {
        var content = new byte[200_000];
        Random.Shared.NextBytes(content);

        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(new FailingStream(content, failAfter: 100_000), "x", cancellationToken: Token));

        Assert.False(store.Contains(Digest.Compute(content)));
        Assert.Empty(store.List());
        Assert.Empty(Directory.EnumerateFiles(store.TemporaryDirectory));
    }

    [Fact]
    public async Task ACrashMidWriteLeavesOnlyATemporaryFileThatASweepRemoves()
    {
        var writer = store.CreateWriter();
        await writer.Stream.WriteAsync(new byte[5000], Token);
        await writer.Stream.FlushAsync(Token);

        // The process "dies" here: no commit, no dispose.
        Assert.Empty(store.List());
        Assert.Single(Directory.EnumerateFiles(store.TemporaryDirectory));
        Assert.Equal(1, store.SweepTemporaryFiles(TimeSpan.Zero));
        Assert.Empty(Directory.EnumerateFiles(store.TemporaryDirectory));
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task ASweepRemovesSpoolDirectoriesLeftByACrashedLoadButSparesRecentOnes()
    {
        var stale = Directory.CreateDirectory(Path.Combine(store.TemporaryDirectory, "load-crashed"));
        await File.WriteAllTextAsync(Path.Combine(stale.FullName, "manifest.json"), "[]", Token);

        Assert.Equal(0, store.SweepTemporaryFiles(TimeSpan.FromHours(1)));
        Assert.Equal(1, store.SweepTemporaryFiles(TimeSpan.Zero));
        Assert.False(Directory.Exists(stale.FullName));
    }

    [Fact]
    public async Task ContentNotMatchingTheExpectedDigestIsRefused()
    {
        var wrong = Digest.Compute("something else"u8);

        await Assert.ThrowsAsync<DigestMismatchException>(() => store.WriteAsync(new MemoryStream("content"u8.ToArray()), "x", wrong, cancellationToken: Token));

        Assert.Empty(store.List());
    }

    [Fact]
    public async Task ContentOfTheWrongSizeIsRefused()
    {
        var content = "content"u8.ToArray();

        await Assert.ThrowsAsync<DigestMismatchException>(() => store.WriteAsync(new MemoryStream(content), "x", Digest.Compute(content), content.Length + 1, Token));

        Assert.Empty(store.List());
    }

    [Fact]
    public async Task ACorruptedBlobOnDiskIsRefusedOnRead()
    {
        var descriptor = await store.WriteAsync("original content"u8.ToArray(), "x", Token);
        await File.WriteAllBytesAsync(store.PathOf(descriptor.Digest), "tampered content"u8.ToArray(), Token);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => store.ReadAllBytesAsync(descriptor.Digest, Token));
        Assert.Contains(descriptor.Digest.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATruncatedBlobOnDiskIsRefusedOnRead()
    {
        var descriptor = await store.WriteAsync("original content"u8.ToArray(), "x", Token);
        await File.WriteAllBytesAsync(store.PathOf(descriptor.Digest), "original"u8.ToArray(), Token);

        await Assert.ThrowsAsync<DigestMismatchException>(() => store.ReadAllBytesAsync(descriptor.Digest, Token));
    }

    [Fact]
    public async Task AMissingBlobIsATypedError() =>
        await Assert.ThrowsAsync<BlobNotFoundException>(() => store.OpenBlobAsync(Digest.Compute("nope"u8), Token));

    [Fact]
    public async Task ParallelWritersOfTheSameBlobAllSucceedWithOneIntactBlob()
    {
        var content = new byte[300_000];
        Random.Shared.NextBytes(content);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.WriteAsync(new MemoryStream(content), "x", cancellationToken: Token), Token)));

        Assert.All(results, descriptor => Assert.Equal(Digest.Compute(content), descriptor.Digest));
        Assert.Single(store.List());
        Assert.Equal(content, await store.ReadAllBytesAsync(results[0].Digest, Token));
        Assert.Empty(Directory.EnumerateFiles(store.TemporaryDirectory));
    }

    [Fact]
    public async Task ParallelWritersOfDifferentBlobsEachGetTheirOwn()
    {
        var contents = Enumerable.Range(0, 24).Select(i => Enumerable.Repeat((byte)i, 10_000 + i).ToArray()).ToList();

        await Task.WhenAll(contents.Select(content => Task.Run(() => store.WriteAsync(new MemoryStream(content), "x", cancellationToken: Token), Token)));

        Assert.Equal(24, store.List().Count());
        foreach (var content in contents)
        {
            Assert.Equal(content, await store.ReadAllBytesAsync(Digest.Compute(content), Token));
        }
    }

    [Fact]
    public async Task AReadSeekingToAnOffsetStillVerifiesTheWholeBlob()
    {
        var content = new byte[100_000];
        Random.Shared.NextBytes(content);
        var descriptor = await store.WriteAsync(content, "x", Token);

        await using (var stream = await store.OpenBlobAsync(descriptor.Digest, Token))
        {
            stream.Seek(60_000, SeekOrigin.Begin);
            var rest = new MemoryStream();
            await stream.CopyToAsync(rest, Token);
            Assert.Equal(content[60_000..], rest.ToArray());
        }

        content[10] ^= 0xff;
        await File.WriteAllBytesAsync(store.PathOf(descriptor.Digest), content, Token);
        await using var corrupt = await store.OpenBlobAsync(descriptor.Digest, Token);
        corrupt.Position = 60_000;
        await Assert.ThrowsAsync<DigestMismatchException>(() => corrupt.CopyToAsync(Stream.Null, Token));
    }

    [Fact]
    public async Task ABlobWrittenByACallbackIsKeptOnlyWhenItMatchesItsDescriptor()
    {
        var content = "downloaded"u8.ToArray();
        var descriptor = Descriptor.For("x", content);

        await store.WriteBlobAsync(descriptor, (stream, token) => stream.WriteAsync(content, token).AsTask(), Token);
        Assert.True(await store.ContainsBlobAsync(descriptor.Digest, Token));

        var other = Descriptor.For("x", "expected"u8);
        await Assert.ThrowsAsync<DigestMismatchException>(() => store.WriteBlobAsync(other, (stream, token) => stream.WriteAsync("received"u8.ToArray(), token).AsTask(), Token));
        await Assert.ThrowsAsync<IOException>(() => store.WriteBlobAsync(other, (_, _) => throw new IOException("reset"), Token));
        Assert.False(store.Contains(other.Digest));
        Assert.Empty(Directory.EnumerateFiles(store.TemporaryDirectory));
    }

    [Fact]
    public void TheDefaultRootFollowsTheEnvironment()
    {
        var previous = (Environment.GetEnvironmentVariable("DOCKERBUILD_ROOT"), Environment.GetEnvironmentVariable("XDG_DATA_HOME"));
        try
        {
            Environment.SetEnvironmentVariable("DOCKERBUILD_ROOT", null);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", "/tmp/xdg");
            Assert.Equal("/tmp/xdg/dockerbuild", StoreRoot.Resolve());
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", null);
            Assert.EndsWith("/.local/share/dockerbuild", StoreRoot.Resolve(), StringComparison.Ordinal);
            Environment.SetEnvironmentVariable("DOCKERBUILD_ROOT", "/tmp/dbroot");
            Assert.Equal("/tmp/dbroot", StoreRoot.Resolve());
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKERBUILD_ROOT", previous.Item1);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", previous.Item2);
        }
    }

    private sealed class FailingStream(byte[] content, int failAfter) : MemoryStream(content)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAfter)
            {
                throw new IOException("connection reset (simulated)");
            }

            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 8192)], cancellationToken);
        }
    }
}
