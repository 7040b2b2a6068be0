using System.Formats.Tar;
using System.IO.Compression;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Oci.Tests.Storage;

/// <summary>
/// A stored layer's size as docker counts it (moby's UnpackLayer adds up each tar header's size): file
/// bytes only, measured whatever the compression or media type says, recorded, forgotten with the blob.
/// </summary>
public sealed class LayerSizesTests : StoreFixture
{
    [Fact]
    public async Task AGzipLayerCountsItsFilesBytesNotItsDirectoriesLinksOrTarFraming()
    {
        var layer = await Store.WriteAsync(Gzip(Tar(300_000, 1_000)), MediaTypes.OciLayerGzip, Token);

        Assert.Equal(301_000, await LayerSizes.GetAsync(Store, layer, Token));
        // The second answer is the recorded one: a record that differs proves it is read, not measured again.
        await File.WriteAllTextAsync(Path.Combine(Store.Root, "layer-sizes", layer.Digest.Hex), "42", Token);
        Assert.Equal(42, await LayerSizes.GetAsync(Store, layer, Token));

        Assert.True(Store.Delete(layer.Digest));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Store.Root, "layer-sizes")));
    }

    [Fact]
    public async Task AnUncompressedLayerUnderAGzipMediaTypeAndWithoutTheEndMarkerIsCountedToo()
    {
        var tar = Tar(5_000);
        // umoci's layers end after the last entry, without the two zero blocks.
        var layer = await Store.WriteAsync(tar[..^1024], MediaTypes.DockerLayerGzip, Token);
        Assert.Equal(5_000, await LayerSizes.GetAsync(Store, layer, Token));
    }

    [Fact]
    public async Task AMissingBlobIsTheStoresError()
    {
        var missing = new Descriptor(MediaTypes.OciLayerGzip, Digest.Compute("nothing"u8), 7);
        await Assert.ThrowsAsync<BlobNotFoundException>(() => LayerSizes.GetAsync(Store, missing, Token));
    }

    // A directory, the files of the given sizes, a symlink and a hard link to the first file.
    private static byte[] Tar(params int[] sizes)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "data/"));
            for (var i = 0; i < sizes.Length; i++)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"data/file{i}") { DataStream = new MemoryStream(new byte[sizes[i]]) });
            }

            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "data/link") { LinkName = "file0" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "data/hard") { LinkName = "data/file0" });
        }

        return buffer.ToArray();
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
