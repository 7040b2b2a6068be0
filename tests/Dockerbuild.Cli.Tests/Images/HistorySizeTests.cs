using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace Dockerbuild.Cli.Tests.Images;

/// <summary>history's SIZE and inspect's Size are the layers' uncompressed sizes, as docker's are.</summary>
public sealed class HistorySizeTests
{
    // One 1,234,567-byte file in a ustar archive: a 512-byte header, the data padded to 512 (1,234,944)
    // and the two 512-byte end blocks: 1,236,480 bytes uncompressed.
    private const long TarLength = 512 + 1_234_944 + 1024;

    [Fact]
    public async Task HistoryAndInspectShowTheUncompressedLayerSize()
    {
        using var cli = new ImageCli();
        cli.Stdin = await BigTarAsync();
        Assert.Equal(TarLength, cli.Stdin.Length);
        await cli.LinesAsync("import", "-", "big:1");

        Assert.Equal([TarLength.ToString(System.Globalization.CultureInfo.InvariantCulture)], await cli.LinesAsync("history", "--human=false", "--format", "{{.Size}}", "big:1"));
        // go-units' HumanSizeWithPrecision(1236480, 3): 1.23648 MB at three significant digits.
        Assert.Equal(["1.24MB"], await cli.LinesAsync("history", "--format", "{{.Size}}", "big:1"));
        var table = await cli.LinesAsync("history", "--human=false", "big:1");
        Assert.Equal(["IMAGE", "CREATED", "AT", "CREATED", "BY", "SIZE", "COMMENT"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        using var inspect = JsonDocument.Parse((await cli.RunAsync("inspect", "big:1")).Out);
        Assert.Equal(TarLength, inspect.RootElement[0].GetProperty("Size").GetInt64());

        // The stored blob is gzip: measured independently, its content is the tar, smaller compressed.
        var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(BlobPath(cli, inspect.RootElement[0].GetProperty("Descriptor").GetProperty("digest").GetString()!), TestContext.Current.CancellationToken));
        var layer = manifest.RootElement.GetProperty("layers")[0];
        await using var gzip = new GZipStream(File.OpenRead(BlobPath(cli, layer.GetProperty("digest").GetString()!)), CompressionMode.Decompress);
        var decompressed = new MemoryStream();
        await gzip.CopyToAsync(decompressed, TestContext.Current.CancellationToken);
        Assert.Equal(TarLength, decompressed.Length);
        Assert.True(layer.GetProperty("size").GetInt64() < TarLength);
    }

    [Fact]
    public async Task ASizeNotRecordedIsMeasuredFromTheBlob()
    {
        using var cli = new ImageCli();
        cli.Stdin = await BigTarAsync();
        await cli.LinesAsync("import", "-", "big:1");
        // As for a pulled or loaded layer: nothing recorded, so history decompresses the blob.
        Directory.Delete(Path.Combine(cli.Root, "layer-sizes"), recursive: true);
        Assert.Equal([TarLength.ToString(System.Globalization.CultureInfo.InvariantCulture)], await cli.LinesAsync("history", "-H=false", "--format", "{{.Size}}", "big:1"));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(cli.Root, "layer-sizes")));
    }

    [Fact]
    public async Task LoadRecordsTheSizesItVerified()
    {
        using var source = new ImageCli();
        source.Stdin = await BigTarAsync();
        await source.LinesAsync("import", "-", "big:1");
        var archive = Path.Combine(source.Home, "big.tar");
        await source.LinesAsync("save", "-o", archive, "big:1");

        using var target = new ImageCli();
        await target.LinesAsync("load", "-i", archive);
        var recorded = Assert.Single(Directory.EnumerateFiles(Path.Combine(target.Root, "layer-sizes")));
        Assert.Equal(TarLength.ToString(System.Globalization.CultureInfo.InvariantCulture), await File.ReadAllTextAsync(recorded, TestContext.Current.CancellationToken));
        Assert.Equal(["1.24MB"], await target.LinesAsync("history", "--format", "{{.Size}}", "big:1"));
    }

    private static string BlobPath(ImageCli cli, string digest) => Path.Combine(cli.Root, "blobs", "sha256", digest["sha256:".Length..]);

    private static async Task<byte[]> BigTarAsync()
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var data = new byte[1_234_567];
            new Random(7).NextBytes(data);
            var entry = new UstarTarEntry(TarEntryType.RegularFile, "data.bin") { DataStream = new MemoryStream(data), ModificationTime = DateTimeOffset.UnixEpoch };
            await writer.WriteEntryAsync(entry, TestContext.Current.CancellationToken);
        }

        return tar.ToArray();
    }
}
