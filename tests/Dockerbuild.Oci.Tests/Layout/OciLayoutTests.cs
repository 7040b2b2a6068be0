using System.Text.Json;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Layout;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Layout;

public sealed class OciLayoutTests : StoreFixture
{
    [Fact]
    public async Task SkopeoSeesTheManifestConfigAndLayersWeWrote()
    {
        var skopeo = Require.Executable("skopeo", "skopeo");
        var image = TestImage.Create("skopeo");
        await image.WriteToAsync(Store);
        var dir = Temp.Combine("layout");

        await OciLayout.WriteAsync(dir, Store, [new NamedImage(image.ManifestDescriptor, [ImageReference.Parse("localhost:5000/team/app:v1")])], Token);

        var rawManifest = await ExternalTool.OutputAsync(skopeo, "inspect", "--raw", $"oci:{dir}:v1");
        Assert.Equal(image.Manifest.Bytes.ToArray(), System.Text.Encoding.UTF8.GetBytes(rawManifest));
        var rawConfig = await ExternalTool.OutputAsync(skopeo, "inspect", "--config", "--raw", $"oci:{dir}:v1");
        Assert.Equal(image.Config.Digest, Digest.Compute(System.Text.Encoding.UTF8.GetBytes(rawConfig)));

        using var inspect = JsonDocument.Parse(await ExternalTool.OutputAsync(skopeo, "inspect", $"oci:{dir}:v1"));
        Assert.Equal(image.Manifest.Digest.ToString(), inspect.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(image.Layers.Select(layer => layer.Descriptor.Digest.ToString()), inspect.RootElement.GetProperty("Layers").EnumerateArray().Select(layer => layer.GetString()));
        Assert.Equal("amd64", inspect.RootElement.GetProperty("Architecture").GetString());

        var copied = Temp.Combine("dir-copy");
        await ExternalTool.OutputAsync(skopeo, "copy", "--quiet", $"oci:{dir}:v1", $"dir:{copied}");
        Assert.Equal(image.Manifest.Bytes.ToArray(), await File.ReadAllBytesAsync(Path.Combine(copied, "manifest.json"), Token));
        Assert.All(image.Layers, layer => Assert.Equal(layer.Bytes, File.ReadAllBytes(Path.Combine(copied, layer.Descriptor.Digest.Hex))));
    }

    [Fact]
    public async Task UmociListsTheTagsAndUnpacksTheLayers()
    {
        var umoci = Require.Executable("umoci", "umoci");
        var first = TestImage.Create("one");
        var second = TestImage.Create("two", layers: 1);
        await first.WriteToAsync(Store);
        await second.WriteToAsync(Store);
        var dir = Temp.Combine("layout");

        await OciLayout.WriteAsync(dir, Store, [new NamedImage(first.ManifestDescriptor, [ImageReference.Parse("app:1"), ImageReference.Parse("app:latest")])], Token);
        await OciLayout.WriteAsync(dir, Store, [new NamedImage(second.ManifestDescriptor, [ImageReference.Parse("app:2")])], Token);

        var tags = (await ExternalTool.OutputAsync(umoci, "ls", "--layout", dir)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["1", "2", "latest"], tags.Order(StringComparer.Ordinal));

        using var stat = JsonDocument.Parse(await ExternalTool.OutputAsync(umoci, "stat", "--json", "--image", $"{dir}:1"));
        Assert.Equal(2, stat.RootElement.GetProperty("history").GetArrayLength());

        var bundle = Temp.Combine("bundle");
        await ExternalTool.OutputAsync(umoci, "unpack", "--rootless", "--image", $"{dir}:1", bundle);
        Assert.Equal("one layer 1\n", await File.ReadAllTextAsync(Path.Combine(bundle, "rootfs", "layer1", "one.txt"), Token));
        Assert.True(File.Exists(Path.Combine(bundle, "rootfs", "layer0", "one.txt")));
    }

    [Fact]
    public async Task ALayoutSkopeoCopiedIsReadBackIntoTheStore()
    {
        var skopeo = Require.Executable("skopeo", "skopeo");
        var image = TestImage.Create("roundtrip");
        await image.WriteToAsync(Store);
        var ours = Temp.Combine("ours");
        var theirs = Temp.Combine("theirs");
        await OciLayout.WriteAsync(ours, Store, [new NamedImage(image.ManifestDescriptor, [ImageReference.Parse("app:1")])], Token);

        await ExternalTool.OutputAsync(skopeo, "copy", "--quiet", $"oci:{ours}:1", $"oci:{theirs}:copied");

        var layout = await OciLayout.OpenAsync(theirs, Token);
        var entry = layout.FindByRefName("copied");
        Assert.NotNull(entry);
        var target = new BlobStore(Temp.Combine("target"));
        var imported = await layout.ImportAsync(target, Token);
        var manifest = await target.ReadJsonAsync<ImageManifest>(imported.Single().Manifest.Digest, Token);
        Assert.Equal(image.Config.Digest, manifest.Value.Config.Digest);
        Assert.All(manifest.Value.Layers, layer => Assert.True(target.Contains(layer.Digest)));
        Assert.Equal(image.Config.Bytes.ToArray(), await target.ReadAllBytesAsync(image.Config.Digest, Token));
    }

    [Fact]
    public async Task AMultiPlatformIndexIsResolvedBySkopeo()
    {
        var skopeo = Require.Executable("skopeo", "skopeo");
        var amd64 = TestImage.Create("x86", architecture: "amd64");
        var arm64 = TestImage.Create("arm", architecture: "arm64");
        await amd64.WriteToAsync(Store);
        await arm64.WriteToAsync(Store);
        var index = RawJson<ImageIndex>.Create(new ImageIndex(
        [
            amd64.ManifestDescriptor with { Platform = new Platform("linux", "amd64") },
            arm64.ManifestDescriptor with { Platform = new Platform("linux", "arm64") },
        ])
        { MediaType = MediaTypes.OciIndex });
        var indexDescriptor = await Store.WriteAsync(index, MediaTypes.OciIndex, Token);
        var dir = Temp.Combine("layout");

        await OciLayout.WriteAsync(dir, Store, [new NamedImage(indexDescriptor, [ImageReference.Parse("multi:1")])], Token);

        Assert.Equal(index.Bytes.ToArray(), System.Text.Encoding.UTF8.GetBytes(await ExternalTool.OutputAsync(skopeo, "inspect", "--raw", $"oci:{dir}:1")));
        using var arm = JsonDocument.Parse(await ExternalTool.OutputAsync(skopeo, "--override-arch", "arm64", "inspect", $"oci:{dir}:1"));
        // skopeo reports the digest it was pointed at (the index) and the resolved image's contents.
        Assert.Equal(index.Digest.ToString(), arm.RootElement.GetProperty("Digest").GetString());
        Assert.Equal("arm64", arm.RootElement.GetProperty("Architecture").GetString());
        Assert.Equal(arm64.Layers.Select(layer => layer.Descriptor.Digest.ToString()), arm.RootElement.GetProperty("Layers").EnumerateArray().Select(layer => layer.GetString()));
        Assert.Equal(MediaTypes.OciIndex, (await OciLayout.OpenAsync(dir, Token)).FindByRefName("1")!.MediaType);
    }

    [Fact]
    public async Task ACorruptBlobInALayoutIsRefusedOnImport()
    {
        var image = TestImage.Create("corrupt");
        await image.WriteToAsync(Store);
        var dir = Temp.Combine("layout");
        await OciLayout.WriteAsync(dir, Store, [new NamedImage(image.ManifestDescriptor, [])], Token);
        var layer = image.Layers[0].Descriptor.Digest;
        var path = Path.Combine(dir, "blobs", "sha256", layer.Hex);
        var bytes = await File.ReadAllBytesAsync(path, Token);
        bytes[^1] ^= 0xff;
        await File.WriteAllBytesAsync(path, bytes, Token);

        var layout = await OciLayout.OpenAsync(dir, Token);
        await Assert.ThrowsAsync<DigestMismatchException>(() => layout.ImportAsync(new BlobStore(Temp.Combine("target")), Token));
        Assert.False(new BlobStore(Temp.Combine("target")).Contains(layer));
    }

    [Fact]
    public async Task ADirectoryThatIsNotALayoutIsATypedError() =>
        await Assert.ThrowsAsync<OciFormatException>(() => OciLayout.OpenAsync(Temp.Path, Token));

    [Fact]
    public async Task EntriesNameTheImageAsDockerSaveDoes()
    {
        var image = TestImage.Create("names");
        await image.WriteToAsync(Store);
        var dir = Temp.Combine("layout");

        var layout = await OciLayout.WriteAsync(dir, Store, [new NamedImage(image.ManifestDescriptor, [ImageReference.Parse("app:1")])], Token);

        var entry = Assert.Single(layout.Manifests);
        Assert.Equal("1", entry.Annotation(Annotations.RefName));
        Assert.Equal("docker.io/library/app:1", entry.Annotation(Annotations.ImageName));
        Assert.Equal("linux/amd64", entry.Platform?.ToString());
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", await File.ReadAllTextAsync(Path.Combine(dir, "oci-layout"), Token));
        var reread = await OciLayout.OpenAsync(dir, Token);
        Assert.Equal(MediaTypes.OciIndex, OciJson.DetectMediaType(reread.Index.Bytes.Span));
    }
}
