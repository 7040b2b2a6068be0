using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>Pushes and pulls through the fault-injecting proxy still complete with every digest verified.</summary>
public sealed class RegistryFaultTests
{
    private const int MiB = 1024 * 1024;
    private const string BlobGet = "^/v2/.+/blobs/sha256:";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PullSurvivesErrorsResetsTruncatedAndSlowResponsesAndResumesWithRange()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [4 * MiB, 3 * MiB, 2 * MiB], proxy: true);
        var proxy = s.Proxy!;
        await s.PushAsync("faults/pull", "1");

        proxy.AddRule(FaultRule.FirstHits(2, Fault.Reset(), "GET", "/manifests/"));
        proxy.AddRule(FaultRule.FirstHits(1, Fault.Truncate(), "GET", "/manifests/"));
        proxy.AddRule(FaultRule.FirstHits(3, Fault.Truncate(), "GET", BlobGet));
        proxy.AddRule(FaultRule.FirstHits(2, Fault.Slow(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1)), "GET", BlobGet));
        proxy.AddRule(new FaultRule(Fault.Status(503, "0"), "GET", BlobGet, EveryNth: 3, MaxInjections: 3));
        proxy.AddRule(FaultRule.FirstHits(1, Fault.Status(429, "1"), "GET", BlobGet));
        proxy.AddRule(FaultRule.FirstHits(2, Fault.Status(502), "GET", BlobGet));
        var before = proxy.Requests.Count;

        using var pulled = new DirectoryBlobStore();
        var result = await s.PullAsync(s.Repository("faults/pull").WithTag("1"), pulled);

        Assert.Equal(s.Image.Manifest.Digest, result.Digest);
        Assert.All(s.Image.Blobs, b => Assert.Equal(File.ReadAllBytes(s.Local.PathOf(b.Digest)), File.ReadAllBytes(pulled.PathOf(b.Digest))));
        Assert.True(proxy.FaultsInjected >= 10, $"only {proxy.FaultsInjected} faults were injected");
        var during = proxy.Requests.Skip(before).ToList();
        Assert.Contains(during, r => r.Range is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && r.Status == 206);
    }

    [Fact]
    public async Task PushSurvivesErrorsAndResetsIncludingLostAnswers()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [3 * MiB, MiB / 2, 1000], proxy: true, o => o with { ChunkSize = MiB });
        var proxy = s.Proxy!;

        proxy.AddRule(FaultRule.FirstHits(1, Fault.Reset(), "HEAD", "/blobs/"));
        proxy.AddRule(FaultRule.FirstHits(1, Fault.Status(429, "0"), "POST", "/blobs/uploads/"));
        proxy.AddRule(new FaultRule(Fault.Reset(), "PATCH", EveryNth: 2, MaxInjections: 2));
        proxy.AddRule(FaultRule.FirstHits(1, Fault.ResetAfterUpstream(), "PATCH"));
        proxy.AddRule(FaultRule.FirstHits(2, Fault.Status(500), "PUT", "/blobs/uploads/"));
        proxy.AddRule(FaultRule.FirstHits(1, Fault.ResetAfterUpstream(), "PUT", "/blobs/uploads/"));
        proxy.AddRule(FaultRule.FirstHits(1, Fault.Reset(), "PUT", "/manifests/"));
        proxy.AddRule(FaultRule.FirstHits(1, Fault.Status(503), "PUT", "/manifests/"));

        var pushed = await s.PushAsync("faults/push", "1", "2");

        Assert.Equal(s.Image.Manifest.Digest, pushed.Digest);
        Assert.True(proxy.FaultsInjected >= 8, $"only {proxy.FaultsInjected} faults were injected");
        proxy.ClearRules();
        using var pulled = new DirectoryBlobStore();
        var result = await s.PullAsync(s.Repository("faults/push").WithTag("2"), pulled);
        Assert.Equal(s.Image.Manifest.Digest, result.Digest);
        Assert.All(s.Image.Blobs, b => Assert.True(pulled.Contains(b.Digest)));
    }

    [Fact]
    public async Task ChunkedUploadResumesWhereTheRegistryStopped()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [4 * MiB], proxy: true, o => o with { ChunkSize = MiB });
        var proxy = s.Proxy!;

        // The third chunk never reaches the registry: the client asks where the upload stands and goes on from there.
        proxy.AddRule(new FaultRule(Fault.Reset(), "PATCH", EveryNth: 3, MaxInjections: 1));
        await s.PushAsync("faults/resume", "1");

        var patches = proxy.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange).ToList();
        Assert.Equal([$"0-{MiB - 1}", $"{MiB}-{(2 * MiB) - 1}", $"{2 * MiB}-{(3 * MiB) - 1}", $"{2 * MiB}-{(3 * MiB) - 1}"], patches.Take(4));
        // One upload session per blob (config and layer): the layer's was resumed, not restarted.
        Assert.Equal(2, proxy.Requests.Count(r => r.Method == "POST"));
        Assert.Contains(proxy.Requests, r => r.Method == "GET" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LargeBlobGoesUpInOnePatchThatResumesAfterAFailure()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [3 * MiB], proxy: true, o => o with { MonolithicUploadLimit = MiB });
        var proxy = s.Proxy!;

        // The first PATCH never reaches the registry: the client asks where the upload stands and sends the rest again.
        proxy.AddRule(FaultRule.FirstHits(1, Fault.Reset(), "PATCH"));
        await s.PushAsync("faults/onepatch", "1");

        var layer = s.Image.Layers[0];
        var patches = proxy.Requests.Where(r => r.Method == "PATCH").Select(r => r.ContentRange).ToList();
        Assert.Equal([$"0-{layer.Size - 1}", $"0-{layer.Size - 1}"], patches);
        Assert.Equal(2, proxy.Requests.Count(r => r.Method == "POST"));
        proxy.ClearRules();
        using var pulled = new DirectoryBlobStore();
        await s.PullAsync(s.Repository("faults/onepatch").WithTag("1"), pulled);
        Assert.True(pulled.Contains(layer.Digest));
    }

    [Fact]
    public async Task PullIntoTheBlobStoreResumesAndRefusesCorruption()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [3 * MiB, 2 * MiB], proxy: true);
        var proxy = s.Proxy!;
        await s.PushAsync("faults/store", "1");
        var store = new BlobStore(Directory.CreateTempSubdirectory("dockerbuild-store-").FullName);
        try
        {
            // The store's stream hashes what the client writes; a resumed transfer must still end with the right digest.
            proxy.AddRule(FaultRule.FirstHits(2, Fault.Truncate(), "GET", BlobGet));
            var reference = s.Repository("faults/store").WithTag("1");
            await s.Client.PullImageAsync(reference, Platform.Parse("linux/amd64"), store, null, Ct);
            Assert.All(s.Image.Blobs, b => Assert.Equal(File.ReadAllBytes(s.Local.PathOf(b.Digest)), File.ReadAllBytes(store.PathOf(b.Digest))));

            var layer = s.Image.Layers[0];
            store.Delete(layer.Digest);
            proxy.ClearRules();
            proxy.AddRule(new FaultRule(Fault.Corrupt(), "GET", "/blobs/" + layer.Digest));
            var error = await Assert.ThrowsAsync<RegistryDigestMismatchException>(() =>
                s.Client.PullImageAsync(reference, Platform.Parse("linux/amd64"), store, null, Ct));
            Assert.Equal(layer.Digest, error.Expected);
            Assert.False(store.Contains(layer.Digest));
        }
        finally
        {
            Directory.Delete(store.Root, recursive: true);
        }
    }

    [Fact]
    public async Task CorruptedBlobIsRefusedAndNeverStored()
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [2 * MiB], proxy: true);
        await s.PushAsync("faults/corrupt", "1");
        var layer = s.Image.Layers[0];

        s.Proxy!.AddRule(new FaultRule(Fault.Corrupt(), "GET", "/blobs/" + layer.Digest));
        using var pulled = new DirectoryBlobStore();
        var error = await Assert.ThrowsAsync<RegistryDigestMismatchException>(() =>
            s.PullAsync(s.Repository("faults/corrupt").WithTag("1"), pulled));

        Assert.Equal(layer.Digest, error.Expected);
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.False(pulled.Contains(layer.Digest));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PushOfACorruptLocalBlobFailsAtOnceAndTheRegistryNeverHasIt(bool chunked)
    {
        await using var s = await RegistryScenario.StartAsync(new RegistryServerOptions(), [3 * MiB], proxy: false,
            o => chunked ? o with { ChunkSize = MiB } : o);
        await s.PushAsync("faults/source", "1");
        var store = new BlobStore(Directory.CreateTempSubdirectory("dockerbuild-store-").FullName);
        try
        {
            await s.Client.PullImageAsync(s.Repository("faults/source").WithTag("1"), Platform.Parse("linux/amd64"), store, null, Ct);
            var layer = s.Image.Layers[0];

            // Bit rot in the store: same size, one byte flipped near the end, so only the digest can tell.
            var path = store.PathOf(layer.Digest);
            var bytes = File.ReadAllBytes(path);
            bytes[^10] ^= 0xff;
            File.WriteAllBytes(path, bytes);

            var target = s.Repository("faults/target");
            var error = await Assert.ThrowsAsync<DigestMismatchException>(() =>
                s.Client.PushImageAsync(target, ["1"], s.Image.Manifest, store, null, null, Ct));
            Assert.Contains(layer.Digest.ToString(), error.Message, StringComparison.Ordinal);
            Assert.False(await s.Client.BlobExistsAsync(target, layer.Digest, Ct));
        }
        finally
        {
            Directory.Delete(store.Root, recursive: true);
        }
    }
}
