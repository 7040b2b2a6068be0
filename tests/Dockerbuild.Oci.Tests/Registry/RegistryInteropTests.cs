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
        await using var s = await RegistryScenario.StartAsync(setup, 2 * MiB, 1000);
        var (registry, image) = (s.Registry, s.Image);
        await s.PushAsync("interop/app", "v1");
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
                Assert.Equal(File.ReadAllBytes(s.Local.PathOf(blob.Digest)), File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", blob.Digest.Hex)));
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
        await using var s = await RegistryScenario.StartAsync("htpasswd", MiB, 1000);
        var registry = s.Registry;
        await s.PushAsync("from", "1");

        await Skopeo.RunAsync(["copy", .. Skopeo.RegistryFlags(registry, "src-"), .. Skopeo.RegistryFlags(registry, "dest-"),
            $"docker://{registry.Host}/from:1", $"docker://{registry.Host}/to:copied"]);

        using var pulled = new DirectoryBlobStore();
        var result = await s.PullAsync(s.Repository("to").WithTag("copied"), pulled);
        Assert.Equal(s.Image.Manifest.Digest, result.Digest);
        Assert.All(s.Image.Blobs, b => Assert.True(pulled.Contains(b.Digest)));
    }

    [Fact]
    public async Task WePullDockerSchema2ThatSkopeoConvertedOurImageTo()
    {
        await using var s = await RegistryScenario.StartAsync("anonymous", MiB, 1000);
        await s.PushAsync("oci", "1");

        await Skopeo.RunAsync(["copy", "--format", "v2s2", "--src-tls-verify=false", "--dest-tls-verify=false",
            $"docker://{s.Host}/oci:1", $"docker://{s.Host}/docker:1"]);

        using var pulled = new DirectoryBlobStore();
        var result = await s.PullAsync(s.Repository("docker").WithTag("1"), pulled);
        Assert.Equal(MediaTypes.DockerManifest, result.Manifest.MediaType);
        var manifest = result.Manifest.ParseManifest().Value;
        Assert.Equal(MediaTypes.DockerConfig, manifest.Config.MediaType);
        Assert.Equal(s.Image.Layers.Select(l => l.Digest), manifest.Layers.Select(l => l.Digest));
        Assert.All(manifest.Layers, l => Assert.True(pulled.Contains(l.Digest)));
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
