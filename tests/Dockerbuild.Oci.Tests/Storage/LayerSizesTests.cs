using System.IO.Compression;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Oci.Tests.Storage;

/// <summary>A stored layer's uncompressed size: measured by decompressing (whatever the media type says), recorded, forgotten with the blob.</summary>
public sealed class LayerSizesTests : StoreFixture
{
    [Fact]
    public async Task AGzipLayerMeasuresItsDecompressedLength()
    {
        var content = new byte[300_000];
        new Random(3).NextBytes(content.AsSpan(0, 1000));
        var layer = await Store.WriteAsync(Gzip(content), MediaTypes.OciLayerGzip, Token);
        Assert.True(layer.Size < content.Length);

        Assert.Equal(content.Length, await LayerSizes.GetAsync(Store, layer, Token));
        // The second answer is the recorded one: a record that differs proves it is read, not measured again.
        await LayerSizes.RecordAsync(Store, layer.Digest, 42, Token);
        Assert.Equal(42, await LayerSizes.GetAsync(Store, layer, Token));

        Assert.True(Store.Delete(layer.Digest));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Store.Root, "layer-sizes")));
    }

    [Fact]
    public async Task AnUncompressedLayerIsItsOwnLengthEvenUnderAGzipMediaType()
    {
        var content = new byte[5000];
        var layer = await Store.WriteAsync(content, MediaTypes.DockerLayerGzip, Token);
        Assert.Equal(5000, await LayerSizes.GetAsync(Store, layer, Token));
    }

    [Fact]
    public async Task AMissingBlobIsTheStoresError()
    {
        var missing = new Descriptor(MediaTypes.OciLayerGzip, Digest.Compute("nothing"u8), 7);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => LayerSizes.GetAsync(Store, missing, Token));
    }

    private static byte[] Gzip(byte[] content)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }
}
