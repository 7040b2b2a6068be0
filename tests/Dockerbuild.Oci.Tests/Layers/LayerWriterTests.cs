using Dockerbuild.Oci.Layers;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Layers;

public sealed class LayerWriterTests
{
    public static TheoryData<LayerCompression, int> Compressions => new()
    {
        { LayerCompression.Gzip, 1 },
        { LayerCompression.Gzip, 2 },
        { LayerCompression.Zstd, 1 },
        { LayerCompression.Zstd, 2 },
        { LayerCompression.None, 1 },
    };

    [Theory]
    [MemberData(nameof(Compressions))]
    public async Task DigestSizeAndDiffIdDescribeTheBytesWritten(LayerCompression compression, int threads)
    {
        using var blob = new MemoryStream();
        var info = await LayerWriter.WriteAsync(BigLayer(), blob, new LayerWriteOptions { Compression = compression, CompressionThreads = threads }, TestContext.Current.CancellationToken);

        var bytes = blob.ToArray();
        Assert.Equal(bytes.Length, info.Size);
        Assert.Equal(Digest.Compute(bytes), info.Digest);
        var tar = await SampleLayers.TarBytesAsync(BigLayer());
        Assert.Equal(Digest.Compute(tar), info.DiffId);
        Assert.Equal(tar.Length, info.UncompressedSize);
        Assert.Equal(LayerWriter.MediaTypeOf(compression, dockerMediaTypes: false), info.MediaType);
    }

    [Fact]
    public async Task TheTarCopyIsTheUncompressedLayerAndTheBlobIsUnchanged()
    {
        var options = new LayerWriteOptions { CompressionThreads = 2 };
        using var plain = new MemoryStream();
        using var teed = new MemoryStream();
        using var tarCopy = new MemoryStream();
        var expected = await LayerWriter.WriteAsync(BigLayer(), plain, options, TestContext.Current.CancellationToken);

        var info = await LayerWriter.WriteAsync(BigLayer(), teed, tarCopy, options, TestContext.Current.CancellationToken);

        Assert.Equal(expected, info);
        Assert.Equal(plain.ToArray(), teed.ToArray());
        Assert.Equal(await SampleLayers.TarBytesAsync(BigLayer()), tarCopy.ToArray());
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task TheSameEntriesGiveTheSameBlobWhateverTheirOrder(LayerCompression compression)
    {
        var options = new LayerWriteOptions { Compression = compression };
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        var a = await LayerWriter.WriteAsync(BigLayer(), first, options, TestContext.Current.CancellationToken);
        var b = await LayerWriter.WriteAsync(BigLayer().Reverse(), second, options, TestContext.Current.CancellationToken);

        Assert.Equal(a, b);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task TheBlobDoesNotDependOnTheNumberOfThreads(LayerCompression compression)
    {
        var blobs = new List<byte[]>();
        foreach (var threads in new[] { 1, 2, 5 })
        {
            using var blob = new MemoryStream();
            await LayerWriter.WriteAsync(BigLayer(), blob, new LayerWriteOptions { Compression = compression, CompressionThreads = threads }, TestContext.Current.CancellationToken);
            blobs.Add(blob.ToArray());
        }

        Assert.Equal(blobs[0], blobs[1]);
        Assert.Equal(blobs[0], blobs[2]);
    }

    [Fact]
    public async Task GzipToolAcceptsTheParallelMembersAndItsOutputHashesToTheDiffId()
    {
        var gzip = Require.Executable("gzip", "gzip");
        var tar = Require.Executable("tar", "tar");
        using var dir = new TempDirectory("dockerbuild-layers-");
        var file = dir.Combine("layer.tar.gz");
        LayerDescriptorInfo info;
        await using (var blob = File.Create(file))
        {
            info = await LayerWriter.WriteAsync(BigLayer(), blob, new LayerWriteOptions { CompressionThreads = 2 }, TestContext.Current.CancellationToken);
        }

        var (exit, _, stderr) = await ExternalTool.RunAsync(gzip, ["-t", file]);
        Assert.True(exit == 0, stderr);
        Assert.Equal(info.DiffId.ToString(), await ExternalTool.Sha256OfOutputAsync(gzip, "-dc", file));
        var (tarExit, listing, tarErr) = await ExternalTool.RunAsync(tar, ["-tzf", file]);
        Assert.True(tarExit == 0, tarErr);
        Assert.Contains("big/chunk-07.bin", listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ZstdToolDecompressesToTheDiffId()
    {
        var zstd = Require.Executable("zstd", "zstd");
        using var dir = new TempDirectory("dockerbuild-layers-");
        var file = dir.Combine("layer.tar.zst");
        LayerDescriptorInfo info;
        await using (var blob = File.Create(file))
        {
            info = await LayerWriter.WriteAsync(BigLayer(), blob, new LayerWriteOptions { Compression = LayerCompression.Zstd }, TestContext.Current.CancellationToken);
        }

        Assert.Equal(info.DiffId.ToString(), await ExternalTool.Sha256OfOutputAsync(zstd, "-dc", file));
    }

    [Fact]
    public void DockerMediaTypeIsUsedForGzipOnlyWhenAsked()
    {
        Assert.Equal(MediaTypes.DockerLayerGzip, LayerWriter.MediaTypeOf(LayerCompression.Gzip, dockerMediaTypes: true));
        Assert.Equal(MediaTypes.OciLayerGzip, LayerWriter.MediaTypeOf(LayerCompression.Gzip, dockerMediaTypes: false));
        Assert.Equal(MediaTypes.OciLayerZstd, LayerWriter.MediaTypeOf(LayerCompression.Zstd, dockerMediaTypes: true));
    }

    /// <summary>About 5 MiB over several compressor chunks, half random (incompressible), half text.</summary>
    private static IEnumerable<LayerEntry> BigLayer()
    {
        var random = new Random(42);
        for (var i = 0; i < 10; i++)
        {
            var content = new byte[300_000 + i * 7];
            if (i % 2 == 0)
            {
                random.NextBytes(content);
            }
            else
            {
                for (var j = 0; j < content.Length; j++)
                {
                    content[j] = (byte)("layer text "[j % 11]);
                }
            }

            yield return LayerEntry.File($"big/chunk-{i:00}.bin", content) with { ModificationTime = SampleLayers.Mtime };
        }

        yield return LayerEntry.Directory("big") with { ModificationTime = SampleLayers.Mtime };
        var noise = new byte[2_000_000];
        random.NextBytes(noise);
        yield return LayerEntry.File("big/noise", noise) with { ModificationTime = SampleLayers.Mtime };
    }
}
