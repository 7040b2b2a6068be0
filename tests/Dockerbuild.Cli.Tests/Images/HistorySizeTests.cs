using System.Formats.Tar;
using System.Text.Json;

namespace Dockerbuild.Cli.Tests.Images;

/// <summary>
/// history's SIZE and inspect's Size are the layers' sizes as docker counts them: moby's UnpackLayer adds
/// up each tar header's size, so a layer holding one 1,234,567-byte file is 1,234,567 bytes, whatever its
/// tar or gzip length.
/// </summary>
public sealed class HistorySizeTests
{
    private const long FileSize = 1_234_567;

    [Fact]
    public async Task HistoryAndInspectShowTheLayersContentSize()
    {
        using var cli = new ImageCli();
        cli.Stdin = await BigTarAsync();
        Assert.True(cli.Stdin.Length > FileSize);
        await cli.LinesAsync("import", "-", "big:1");

        Assert.Equal([FileSize.ToString(System.Globalization.CultureInfo.InvariantCulture)], await cli.LinesAsync("history", "--human=false", "--format", "{{.Size}}", "big:1"));
        // go-units' HumanSizeWithPrecision(1234567, 3): 1.234567 MB at three significant digits.
        Assert.Equal(["1.23MB"], await cli.LinesAsync("history", "--format", "{{.Size}}", "big:1"));
        var table = await cli.LinesAsync("history", "--human=false", "big:1");
        Assert.Equal(["IMAGE", "CREATED", "AT", "CREATED", "BY", "SIZE", "COMMENT"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        using var inspect = JsonDocument.Parse((await cli.RunAsync("inspect", "big:1")).Out);
        Assert.Equal(FileSize, inspect.RootElement[0].GetProperty("Size").GetInt64());
        // Measured once, then read from the record.
        Assert.Single(Directory.EnumerateFiles(Path.Combine(cli.Root, "layer-sizes")));
    }

    [Fact]
    public async Task ALoadedImageShowsTheSameSizes()
    {
        using var source = new ImageCli();
        source.Stdin = await BigTarAsync();
        await source.LinesAsync("import", "-", "big:1");
        var archive = Path.Combine(source.Home, "big.tar");
        await source.LinesAsync("save", "-o", archive, "big:1");

        using var target = new ImageCli();
        await target.LinesAsync("load", "-i", archive);
        Assert.Equal(["1.23MB"], await target.LinesAsync("history", "--format", "{{.Size}}", "big:1"));
    }

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
