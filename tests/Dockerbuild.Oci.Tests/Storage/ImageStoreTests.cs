using System.Diagnostics;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Storage;

public sealed class ImageStoreTests : IDisposable
{
    private const string SharedRootVariable = "DOCKERBUILD_TEST_SHARED_ROOT";
    private const string SharedDigestVariable = "DOCKERBUILD_TEST_SHARED_DIGEST";
    private const int ChildTags = 40;

    private readonly TempDirectory root = new("dockerbuild-oci-tests-");
    private readonly ImageStore images;

    public ImageStoreTests() => images = new ImageStore(new BlobStore(root.Path));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task AnImageAddedWithoutNamesIsDangling()
    {
        var image = TestImage.Create("a");
        var digest = await image.WriteToAsync(images.Blobs);

        var record = await images.AddAsync(digest, cancellationToken: Token);

        Assert.True(record.IsDangling);
        Assert.Equal(image.Manifest.Value.Config.Digest, record.Id);
        Assert.Equal(digest, record.ManifestDigest);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), record.Created);
        Assert.Equal(image.Manifest.Size + image.Config.Size + image.Layers.Sum(layer => layer.Bytes.Length), record.Size);
    }

    [Fact]
    public async Task RemovingOneOfSeveralTagsRemovesOnlyThatTag()
    {
        var digest = await TestImage.Create("a").WriteToAsync(images.Blobs);
        await images.AddAsync(digest, [Ref("app:1"), Ref("app:latest"), Ref("other/app:x")], Token);

        var removal = await images.RemoveAsync("app:1", cancellationToken: Token);

        Assert.Equal(["docker.io/library/app:1"], removal.Untagged.Select(name => name.ToString()));
        Assert.Empty(removal.DeletedImages);
        var record = await images.GetAsync("app", Token);
        Assert.Equal(["docker.io/library/app:latest", "docker.io/other/app:x"], record.Tags.Select(name => name.ToString()).Order(StringComparer.Ordinal));
        Assert.Null(await images.FindAsync("app:1", Token));
        Assert.True(images.Blobs.Contains(digest));
    }

    [Fact]
    public async Task RemovingTheLastTagDeletesTheImageAndBlobsNoOtherImageUses()
    {
        var first = TestImage.Create("a");
        var second = TestImage.Create("b");
        var firstDigest = await first.WriteToAsync(images.Blobs);
        var secondDigest = await second.WriteToAsync(images.Blobs);
        await images.AddAsync(firstDigest, [Ref("a:1")], Token);
        await images.AddAsync(secondDigest, [Ref("b:1")], Token);

        var removal = await images.RemoveAsync("a:1", cancellationToken: Token);

        Assert.Equal([first.Manifest.Value.Config.Digest], removal.DeletedImages);
        Assert.False(images.Blobs.Contains(firstDigest));
        Assert.All(first.Layers, layer => Assert.False(images.Blobs.Contains(layer.Descriptor.Digest)));
        Assert.All(second.Layers, layer => Assert.True(images.Blobs.Contains(layer.Descriptor.Digest)));
        Assert.Single(await images.ListAsync(Token));
    }

    [Fact]
    public async Task RemovingByIdAnImageInSeveralRepositoriesNeedsForce()
    {
        var image = TestImage.Create("a");
        var digest = await image.WriteToAsync(images.Blobs);
        await images.AddAsync(digest, [Ref("one:1"), Ref("two:1")], Token);
        var id = image.Manifest.Value.Config.Digest;

        var conflict = await Assert.ThrowsAsync<ImageConflictException>(() => images.RemoveAsync(id.Short, cancellationToken: Token));
        Assert.Contains("must be forced", conflict.Message, StringComparison.Ordinal);

        var removal = await images.RemoveAsync(id.Short, force: true, Token);
        Assert.Equal(2, removal.Untagged.Count);
        Assert.Empty(await images.ListAsync(Token));
    }

    [Fact]
    public async Task TaggingAnotherImageWithATakenNameLeavesTheOldOneDangling()
    {
        var oldDigest = await TestImage.Create("old").WriteToAsync(images.Blobs);
        var newDigest = await TestImage.Create("new").WriteToAsync(images.Blobs);
        await images.AddAsync(oldDigest, [Ref("app")], Token);

        await images.AddAsync(newDigest, [Ref("app:latest")], Token);

        Assert.True((await images.GetAsync(oldDigest.ToString(), Token)).IsDangling);
        Assert.Equal(newDigest, (await images.GetAsync("app", Token)).ManifestDigest);
    }

    [Fact]
    public async Task ImagesAreFoundByNameIdPrefixAndDigest()
    {
        var image = TestImage.Create("a");
        var digest = await image.WriteToAsync(images.Blobs);
        await images.AddAsync(digest, [Ref("localhost:5000/team/app:v2"), Ref("localhost:5000/team/app@" + digest)], Token);
        var id = image.Manifest.Value.Config.Digest;

        foreach (var key in new[] { "localhost:5000/team/app:v2", id.ToString(), id.Hex, id.Hex[..5], digest.ToString(), "localhost:5000/team/app@" + digest, "localhost:5000/team/app:v2@" + digest })
        {
            Assert.Equal(digest, (await images.GetAsync(key, Token)).ManifestDigest);
        }

        await Assert.ThrowsAsync<ImageNotFoundException>(() => images.GetAsync("localhost:5000/team/app:v3", Token));
        Assert.Equal("No such image: nothing", (await Assert.ThrowsAsync<ImageNotFoundException>(() => images.RemoveAsync("nothing", cancellationToken: Token))).Message);
    }

    [Fact]
    public async Task AnOpenedImageGivesItsDocumentsAndVerifiedLayers()
    {
        var image = TestImage.Create("open");
        var digest = await image.WriteToAsync(images.Blobs);
        await images.AddAsync(digest, [Ref("app:1")], Token);

        var opened = await images.OpenImageAsync("app:1", cancellationToken: Token);

        Assert.Equal(image.Manifest.Bytes.ToArray(), opened.Manifest.Bytes.ToArray());
        Assert.Equal(image.Config.Digest, opened.Config.Digest);
        Assert.Equal("SEED=open", opened.Config.Value.Config.Env![1]);
        await using var layer = await opened.OpenLayerAsync(opened.Layers[1], Token);
        var bytes = new MemoryStream();
        await layer.CopyToAsync(bytes, Token);
        Assert.Equal(image.Layers[1].Bytes, bytes.ToArray());
    }

    [Fact]
    public async Task AnIndexIsOpenedAsTheManifestForThePlatform()
    {
        var amd64 = TestImage.Create("amd64");
        var amd64Digest = await amd64.WriteToAsync(images.Blobs);
        var index = RawJson<ImageIndex>.Create(new ImageIndex([amd64.ManifestDescriptor with { Platform = new Platform("linux", "amd64") }, new Descriptor(MediaTypes.OciManifest, Digest.Compute("absent"u8), 6) { Platform = new Platform("linux", "arm64") }]) { MediaType = MediaTypes.OciIndex });
        var indexDigest = (await images.Blobs.WriteAsync(index, MediaTypes.OciIndex, Token)).Digest;

        var record = await images.AddAsync(indexDigest, [Ref("multi:1")], Token);

        Assert.Equal(indexDigest, record.Id);
        var opened = await images.OpenImageAsync("multi:1", Platform.Parse("linux/amd64"), Token);
        Assert.Equal(amd64Digest, opened.Manifest.Digest);
        await Assert.ThrowsAsync<ImageNotFoundException>(() => images.OpenImageAsync("multi:1", Platform.Parse("linux/arm64"), Token));
        Assert.Equal(index.Size + amd64.Manifest.Size + amd64.Config.Size + amd64.Layers.Sum(layer => layer.Bytes.Length), record.Size);
    }

    [Fact]
    public async Task UntagKeepsTheImage()
    {
        var digest = await TestImage.Create("a").WriteToAsync(images.Blobs);
        await images.AddAsync(digest, [Ref("app:1")], Token);

        Assert.True(await images.UntagAsync(Ref("app:1"), Token));
        Assert.False(await images.UntagAsync(Ref("app:1"), Token));

        Assert.True((await images.GetAsync(digest.ToString(), Token)).IsDangling);
    }

    [Fact]
    public async Task PruneRemovesDanglingImagesButKeepsSharedAndTaggedContent()
    {
        var tagged = TestImage.Create("t");
        var dangling = TestImage.Create("d");
        var taggedDigest = await tagged.WriteToAsync(images.Blobs);
        var danglingDigest = await dangling.WriteToAsync(images.Blobs);
        await images.AddAsync(taggedDigest, [Ref("keep:1")], Token);
        await images.AddAsync(danglingDigest, cancellationToken: Token);
        var orphan = await images.Blobs.WriteAsync("an orphan blob"u8.ToArray(), "x", Token);

        var removal = await images.PruneAsync(all: false, blobGracePeriod: TimeSpan.Zero, Token);

        Assert.Equal([dangling.Manifest.Value.Config.Digest], removal.DeletedImages);
        Assert.False(images.Blobs.Contains(danglingDigest));
        Assert.False(images.Blobs.Contains(orphan.Digest));
        Assert.True(images.Blobs.Contains(taggedDigest));
        Assert.All(tagged.Layers, layer => Assert.True(images.Blobs.Contains(layer.Descriptor.Digest)));
        Assert.True(removal.ReclaimedBytes > 0);

        var all = await images.PruneAsync(all: true, blobGracePeriod: TimeSpan.Zero, Token);
        Assert.Single(all.DeletedImages);
        Assert.Empty(images.Blobs.List());
    }

    [Fact]
    public async Task PruneSparesRecentlyWrittenBlobsOfBuildsInFlight()
    {
        var orphan = await images.Blobs.WriteAsync("a layer a build just wrote"u8.ToArray(), "x", Token);

        await images.PruneAsync(cancellationToken: Token);

        Assert.True(images.Blobs.Contains(orphan.Digest));
    }

    [Fact]
    public async Task ParallelTagUpdatesAreNeverLost()
    {
        var digest = await TestImage.Create("a").WriteToAsync(images.Blobs);
        await images.AddAsync(digest, cancellationToken: Token);
        var otherStore = new ImageStore(new BlobStore(root.Path));

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => (i % 2 == 0 ? images : otherStore).TagAsync(Ref($"app:{i}"), digest, Token), Token)));

        Assert.Equal(40, (await images.GetAsync(digest.ToString(), Token)).Tags.Count());
    }

    [Fact]
    public async Task TagUpdatesFromTwoProcessesAreNeverLost()
    {
        var digest = await TestImage.Create("a").WriteToAsync(images.Blobs);
        await images.AddAsync(digest, cancellationToken: Token);
        var assembly = typeof(ImageStoreTests).Assembly.Location;
        var host = Path.ChangeExtension(assembly, null);
        var start = File.Exists(host) ? new ProcessStartInfo(host) : new ProcessStartInfo("dotnet", [assembly]);
        foreach (var argument in new[] { "-method", $"{typeof(ImageStoreTests).FullName}.{nameof(ManyTagUpdatesInARowAreAllKept)}", "-noLogo" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[SharedRootVariable] = root.Path;
        start.Environment[SharedDigestVariable] = digest.ToString();
        start.RedirectStandardOutput = true;
        using var child = Process.Start(start)!;
        var childOutput = child.StandardOutput.ReadToEndAsync(Token);

        var mine = 0;
        while (!child.HasExited || mine < ChildTags)
        {
            await images.TagAsync(Ref($"app:parent-{mine++}"), digest, Token);
        }

        await child.WaitForExitAsync(Token);
        Assert.True(child.ExitCode == 0, await childOutput);
        Assert.Equal(mine + ChildTags, (await images.GetAsync(digest.ToString(), Token)).Tags.Count());
    }

    // Also the second process of TagUpdatesFromTwoProcessesAreNeverLost, which starts this test
    // with the shared store's location in the environment.
    [Fact]
    public async Task ManyTagUpdatesInARowAreAllKept()
    {
        var sharedRoot = Environment.GetEnvironmentVariable(SharedRootVariable);
        var store = sharedRoot is null ? images : new ImageStore(new BlobStore(sharedRoot));
        var digest = sharedRoot is null
            ? (await store.AddAsync(await TestImage.Create("a").WriteToAsync(store.Blobs), cancellationToken: Token)).ManifestDigest
            : Digest.Parse(Environment.GetEnvironmentVariable(SharedDigestVariable)!);

        for (var i = 0; i < ChildTags; i++)
        {
            await store.TagAsync(Ref($"app:child-{i}"), digest, Token);
        }

        Assert.True((await store.GetAsync(digest.ToString(), Token)).Tags.Count() >= ChildTags);
    }

    [Fact]
    public async Task UpdatesWaitForAnotherProcessHoldingTheLock()
    {
        var flock = Require.Executable("flock", "util-linux");
        var digest = await TestImage.Create("a").WriteToAsync(images.Blobs);
        await images.AddAsync(digest, cancellationToken: Token);
        var acquired = root.Combine("acquired");
        var released = root.Combine("released");
        using var holder = Process.Start(new ProcessStartInfo(flock, [root.Combine("images.lock"), "-c", $"touch {acquired}; sleep 0.5; touch {released}"]))!;
        while (!File.Exists(acquired))
        {
            await Task.Delay(10, Token);
        }

        await images.TagAsync(Ref("app:waited"), digest, Token);

        Assert.True(File.Exists(released), "the update ran while another process held the store lock");
        await holder.WaitForExitAsync(Token);
        Assert.NotNull(await images.FindAsync("app:waited", Token));
    }

    [Fact]
    public async Task TheIndexFileIsNeverLeftHalfWritten()
    {
        var digest = await TestImage.Create("a").WriteToAsync(images.Blobs);
        await images.AddAsync(digest, [Ref("app:1")], Token);

        Assert.Single(Directory.EnumerateFiles(root.Path, "images.json*"));
    }

    private static ImageReference Ref(string text) => ImageReference.Parse(text);
}
