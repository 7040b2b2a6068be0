using Dockerbuild.Oci.Registry;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>Push and pull against the real distribution registry in each setup.</summary>
public sealed class RegistryClientTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task PushedImageUnderSeveralTagsPullsBackWithEveryDigestVerified(string setup)
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options(setup), Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 3 * MiB, 2 * MiB, 1000);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry));
        var repository = RegistrySetups.Repository(registry.Host, "team/app");

        var pushed = await client.PushImageAsync(repository, ["v1", "latest"], image.Manifest, local, null, Ct);

        Assert.Equal(image.Manifest.Digest, pushed.Digest);
        Assert.All(image.Blobs, b => Assert.Equal(BlobPushResult.Uploaded, pushed.Blobs[b.Digest]));
        Assert.Equal(["latest", "v1"], (await client.ListTagsAsync(repository, Ct)).Order());

        using var pulledStore = new DirectoryBlobStore();
        var pulled = await client.PullImageAsync(repository.WithTag("v1"), Platform.Parse("linux/amd64"), pulledStore, null, Ct);
        Assert.Equal(image.Manifest.Digest, pulled.Digest);
        Assert.Equal(image.Manifest.Content.ToArray(), pulled.Manifest.Content.ToArray());
        Assert.All(image.Blobs, b => Assert.Equal(File.ReadAllBytes(local.PathOf(b.Digest)), File.ReadAllBytes(pulledStore.PathOf(b.Digest))));
        Assert.True(pulledStore.Contains(image.Manifest.Digest));
        Assert.Equal(image.Manifest.Digest, (await client.ResolveAsync(repository.WithTag("latest"), Ct))?.Digest);
    }

    public static TheoryData<string> Setups => RegistrySetups.All;
}
