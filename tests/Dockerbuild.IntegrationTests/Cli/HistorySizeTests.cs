using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// docker history's SIZE on a built busybox image: each layer's uncompressed size, checked against the
/// stored gzip blobs decompressed here; 0B for ENV's empty layer; the same once the recorded sizes are
/// gone and history measures the blobs itself (as for a pulled image); inspect's Size their sum.
/// </summary>
public sealed class HistorySizeTests
{
    [Fact]
    public async Task HistoryShowsEachLayersUncompressedSize()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "ENV GREETING=hi\nRUN head -c 200000 /bin/busybox > /part\n");
        (await cli.RunAsync("build", "-q", "-t", "sizes:1", context)).Succeeded();

        // Newest first: RUN, ENV, COPY sh, COPY busybox.
        var expected = (await UncompressedLayerSizesAsync(cli, "sizes:1")).ToList();
        Assert.Equal(3, expected.Count);
        var bytes = expected.AsEnumerable().Reverse().Select(size => size.ToString(CultureInfo.InvariantCulture)).ToList();
        string[] rows = [bytes[0], "0", bytes[1], bytes[2]];
        Assert.Equal(rows, (await cli.RunAsync("history", "--human=false", "--format", "{{.Size}}", "sizes:1")).Succeeded().Lines);

        var human = (await cli.RunAsync("history", "--format", "{{.Size}}|{{.CreatedBy}}", "sizes:1")).Succeeded().Lines;
        Assert.Equal("0B", human[1].Split('|')[0]);
        Assert.Contains("ENV GREETING=hi", human[1]);
        foreach (var (row, size) in new[] { (human[0], expected[2]), (human[2], expected[1]), (human[3], expected[0]) })
        {
            AssertThreeSignificantDigits(row.Split('|')[0], size);
        }

        // Without the sizes the build recorded, history decompresses the blobs and finds the same.
        Directory.Delete(Path.Combine(cli.Root, "layer-sizes"), recursive: true);
        Assert.Equal(rows, (await cli.RunAsync("history", "-H=false", "--format", "{{.Size}}", "sizes:1")).Succeeded().Lines);

        using var inspect = JsonDocument.Parse((await cli.RunAsync("inspect", "sizes:1")).Succeeded().Out);
        Assert.Equal(expected.Sum(), inspect.RootElement[0].GetProperty("Size").GetInt64());
    }

    // go-units with precision 3: the value in decimal units, at most three significant digits.
    private static void AssertThreeSignificantDigits(string text, long bytes)
    {
        var units = new[] { "B", "kB", "MB", "GB" };
        var unit = units.Select((name, power) => (name, power)).Last(u => text.EndsWith(u.name, StringComparison.Ordinal) && double.TryParse(text[..^u.name.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var value = double.Parse(text[..^unit.name.Length], CultureInfo.InvariantCulture);
        Assert.True(value is >= 1 and < 1000 || bytes == 0, text);
        Assert.True(text[..^unit.name.Length].Count(char.IsAsciiDigit) <= 3, text);
        var exact = bytes / Math.Pow(1000, unit.power);
        Assert.True(Math.Abs(value - exact) <= 0.005 * exact + 1e-9, $"{text} for {bytes} bytes");
    }

    // The image's layers from its manifest in the store, each gzip blob decompressed and counted, oldest first.
    private static async Task<IEnumerable<long>> UncompressedLayerSizesAsync(DockerbuildProcess cli, string image)
    {
        using var inspect = JsonDocument.Parse((await cli.RunAsync("inspect", image)).Succeeded().Out);
        var manifestDigest = inspect.RootElement[0].GetProperty("Descriptor").GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(BlobPath(cli, manifestDigest), TestContext.Current.CancellationToken));
        var sizes = new List<long>();
        foreach (var layer in manifest.RootElement.GetProperty("layers").EnumerateArray())
        {
            Assert.EndsWith("gzip", layer.GetProperty("mediaType").GetString());
            await using var gzip = new GZipStream(File.OpenRead(BlobPath(cli, layer.GetProperty("digest").GetString()!)), CompressionMode.Decompress);
            long total = 0;
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await gzip.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                total += read;
            }

            Assert.True(total > layer.GetProperty("size").GetInt64());
            sizes.Add(total);
        }

        return sizes;
    }

    private static string BlobPath(DockerbuildProcess cli, string digest) => Path.Combine(cli.Root, "blobs", "sha256", digest["sha256:".Length..]);
}
