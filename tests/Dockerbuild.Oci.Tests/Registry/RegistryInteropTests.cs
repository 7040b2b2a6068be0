using System.Text;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>skopeo reads back what we push, and we read back what skopeo copies.</summary>
public sealed class RegistryInteropTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("anonymous")]
    [InlineData("tls")]
    public async Task SkopeoInspectsAndCopiesWhatWePushed(string setup)
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options(setup), Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, 2 * MiB, 1000);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry));
        await client.PushImageAsync(RegistrySetups.Repository(registry.Host, "interop/app"), ["v1"], image.Manifest, local, null, null, Ct);
        var reference = $"{registry.Host}/interop/app:v1";

        var inspected = await Skopeo.InspectAsync(registry, reference);
        Assert.Equal(image.Manifest.Digest.ToString(), inspected.GetProperty("Digest").GetString());
        Assert.Equal(image.Layers.Select(l => l.Digest.ToString()), inspected.GetProperty("Layers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("amd64", inspected.GetProperty("Architecture").GetString());
        var raw = await Skopeo.RunAsync(["inspect", "--raw", .. Skopeo.RegistryFlags(registry), $"docker://{reference}"]);
        Assert.Equal(image.Manifest.Content.ToArray(), Encoding.UTF8.GetBytes(raw));

        var layout = Directory.CreateTempSubdirectory("dockerbuild-skopeo-").FullName;
        try
        {
            await Skopeo.RunAsync(["copy", .. Skopeo.RegistryFlags(registry, "src-"), $"docker://{reference}", $"oci:{layout}:v1"]);
            foreach (var blob in image.Blobs.Append(image.Manifest.ToDescriptor()))
            {
                Assert.Equal(File.ReadAllBytes(local.PathOf(blob.Digest)), File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", blob.Digest.Hex)));
            }
        }
        finally
        {
            Directory.Delete(layout, recursive: true);
        }
    }

    [Fact]
    public async Task WePullWhatSkopeoCopiedBetweenRepositories()
    {
        await using var registry = await RegistryServer.StartAsync(RegistrySetups.Options("htpasswd"), Ct);
        using var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, MiB, 1000);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry));
        await client.PushImageAsync(RegistrySetups.Repository(registry.Host, "from"), ["1"], image.Manifest, local, null, null, Ct);

        await Skopeo.RunAsync(["copy", .. Skopeo.RegistryFlags(registry, "src-"), .. Skopeo.RegistryFlags(registry, "dest-"),
            $"docker://{registry.Host}/from:1", $"docker://{registry.Host}/to:copied"]);

        using var pulled = new DirectoryBlobStore();
        var result = await client.PullImageAsync(RegistrySetups.Repository(registry.Host, "to").WithTag("copied"), Platform.Parse("linux/amd64"), pulled, null, Ct);
        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.All(image.Blobs, b => Assert.True(pulled.Contains(b.Digest)));
    }

    [Fact]
    public async Task MultiPlatformIndexIsPushedAndResolvedToThePlatform()
    {
        await using var registry = await RegistryServer.StartAsync(cancellationToken: Ct);
        using var local = new DirectoryBlobStore();
        var amd64 = await TestImage.CreateAsync(local, MiB);
        var arm64 = await TestImage.CreateAsync(local, MiB / 2);
        var index = RawJson<ImageIndex>.Create(new ImageIndex(
        [
            amd64.Manifest.ToDescriptor() with { Platform = new Platform("linux", "amd64") },
            arm64.Manifest.ToDescriptor() with { Platform = new Platform("linux", "arm64") { Variant = "v8" } },
        ]) { MediaType = MediaTypes.OciIndex });
        var indexManifest = new RegistryManifest(MediaTypes.OciIndex, index.Bytes);
        using var client = new RegistryClient(RegistrySetups.ClientOptions(registry));
        var repository = RegistrySetups.Repository(registry.Host, "multi");

        await client.PushImageAsync(repository, ["latest"], indexManifest, local, null, null, Ct);

        using var pulled = new DirectoryBlobStore();
        var result = await client.PullImageAsync(repository.WithTag("latest"), Platform.Parse("linux/arm64"), pulled, null, Ct);
        Assert.Equal(indexManifest.Digest, result.Digest);
        Assert.Equal(arm64.Manifest.Digest, result.Manifest.Digest);
        Assert.True(pulled.Contains(arm64.Layers[0].Digest));
        Assert.False(pulled.Contains(amd64.Layers[0].Digest));
        Assert.True(pulled.Contains(indexManifest.Digest));

        var missing = await Assert.ThrowsAsync<RegistryNotFoundException>(() =>
            client.PullImageAsync(repository.WithTag("latest"), Platform.Parse("linux/s390x"), pulled, null, Ct));
        Assert.Contains("linux/arm64", missing.Message, StringComparison.Ordinal);

        var raw = await Skopeo.RunAsync(["inspect", "--raw", "--tls-verify=false", $"docker://{registry.Host}/multi:latest"]);
        Assert.Equal(indexManifest.Content.ToArray(), Encoding.UTF8.GetBytes(raw));
    }
}
