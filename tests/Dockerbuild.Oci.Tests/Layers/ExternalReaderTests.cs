using System.Text;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Unix;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Layers;

/// <summary>
/// Go's readers (umoci: compress/gzip and archive/tar; skopeo: containers/image's gzip and zstd) read
/// our layers back. The surrounding OCI layout is written by hand here, only as test scaffolding.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExternalReaderTests
{
    // umoci 0.4 reads no zstd layers; skopeo checks those below.
    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.None)]
    public async Task UmociUnpacksTheLayerWithItsModesOwnersAndLinks(LayerCompression compression)
    {
        var umoci = Require.Executable("umoci", "umoci");
        using var dir = new TempDirectory("dockerbuild-layers-");
        var layout = dir.Combine("layout");
        await WriteLayoutAsync(layout, compression);

        string[] rootless = Environment.IsPrivilegedProcess ? [] : ["--rootless"];
        var (exit, _, stderr) = await ExternalTool.RunAsync(umoci, ["unpack", .. rootless, "--image", layout + ":test", dir.Combine("bundle")]);

        Assert.True(exit == 0, stderr);
        var rootfs = dir.Combine("bundle", "rootfs");
        Assert.Equal("#!/bin/sh\necho hi\n", await File.ReadAllTextAsync(rootfs + "/app/run.sh", TestContext.Current.CancellationToken));
        Assert.Equal("data/blob.bin", new FileInfo(rootfs + "/app/current").LinkTarget);
        Assert.Equal(UnixFiles.LStat(rootfs + "/app/run.sh").Inode, UnixFiles.LStat(rootfs + "/app/run-again.sh").Inode);
        Assert.Equal(0b111_101_101, UnixFiles.LStat(rootfs + "/app/run.sh").Permissions);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal((1000, 1001), (UnixFiles.LStat(rootfs + "/app/run.sh").Uid, UnixFiles.LStat(rootfs + "/app/run.sh").Gid));
        }
    }

    [Fact]
    public async Task UmociRefusesTheLayoutWhenTheDiffIdIsWrong()
    {
        var umoci = Require.Executable("umoci", "umoci");
        using var dir = new TempDirectory("dockerbuild-layers-");
        var layout = dir.Combine("layout");
        await WriteLayoutAsync(layout, LayerCompression.Gzip, corruptDiffId: true);

        var (exit, _, _) = await ExternalTool.RunAsync(umoci, ["unpack", "--rootless", "--image", layout + ":test", dir.Combine("bundle")]);

        // Proves the test above really checks our diffID, not only that umoci can read gzip.
        Assert.NotEqual(0, exit);
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task SkopeoDecompressesTheLayerToTheDiffId(LayerCompression compression)
    {
        var skopeo = Require.Executable("skopeo", "skopeo");
        using var dir = new TempDirectory("dockerbuild-layers-");
        var layout = dir.Combine("layout");
        var info = await WriteLayoutAsync(layout, compression);

        var (exit, _, stderr) = await ExternalTool.RunAsync(skopeo, ["copy", "--dest-decompress", "oci:" + layout + ":test", "dir:" + dir.Combine("out")]);

        Assert.True(exit == 0, stderr);
        Assert.True(File.Exists(dir.Combine("out", info.DiffId.Hex)), "skopeo stored the decompressed layer under its own digest, which must be our diffID");
    }

    private static async Task<LayerDescriptorInfo> WriteLayoutAsync(string layout, LayerCompression compression, bool corruptDiffId = false)
    {
        var ct = TestContext.Current.CancellationToken;
        var blobs = Path.Combine(layout, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var temp = Path.Combine(layout, "layer.tmp");
        LayerDescriptorInfo layer;
        await using (var file = File.Create(temp))
        {
            var entries = SampleLayers.Mixed().Append(LayerEntry.Directory("bin") with { ModificationTime = SampleLayers.Mtime });
            layer = await LayerWriter.WriteAsync(entries, file, new LayerWriteOptions { Compression = compression }, ct);
        }

        File.Move(temp, Path.Combine(blobs, layer.Digest.Hex));
        var diffId = corruptDiffId ? Digest.Compute("not the layer"u8) : layer.DiffId;
        var config = await WriteBlobAsync(blobs, $$$"""{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["{{{diffId}}}"]}}""");
        var manifest = await WriteBlobAsync(blobs, $$$"""{"schemaVersion":2,"mediaType":"{{{MediaTypes.OciManifest}}}","config":{"mediaType":"{{{MediaTypes.OciConfig}}}","digest":"{{{config.Digest}}}","size":{{{config.Size}}}},"layers":[{"mediaType":"{{{layer.MediaType}}}","digest":"{{{layer.Digest}}}","size":{{{layer.Size}}}}]}""");
        await File.WriteAllTextAsync(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""", ct);
        await File.WriteAllTextAsync(Path.Combine(layout, "index.json"), $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"{{{MediaTypes.OciManifest}}}","digest":"{{{manifest.Digest}}}","size":{{{manifest.Size}}},"annotations":{"org.opencontainers.image.ref.name":"test"}}]}""", ct);
        return layer;
    }

    private static async Task<(Digest Digest, int Size)> WriteBlobAsync(string blobs, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var digest = Digest.Compute(bytes);
        await File.WriteAllBytesAsync(Path.Combine(blobs, digest.Hex), bytes, TestContext.Current.CancellationToken);
        return (digest, bytes.Length);
    }
}
