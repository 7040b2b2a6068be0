using System.Globalization;
using System.Text.Json;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// docker history's SIZE on a built busybox image: each layer's size as docker counts it (moby's
/// UnpackLayer adds up the tar entries' sizes: a file's bytes, 0 for directories), so the COPY layers are
/// the busybox binary's size and the RUN layer the 200,000 bytes it wrote; 0B for ENV's empty layer; the
/// same once the recorded sizes are gone; inspect's Size their sum.
/// </summary>
public sealed class HistorySizeTests
{
    [Fact]
    public async Task HistoryShowsEachLayersContentSize()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "ENV GREETING=hi\nRUN head -c 200000 /bin/busybox > /part\n");
        (await cli.RunAsync("build", "-q", "-t", "sizes:1", context)).Succeeded();
        var busybox = new FileInfo(Path.Combine(context, "busybox")).Length;

        // Newest first: RUN, ENV, COPY sh, COPY busybox.
        string[] rows = ["200000", "0", busybox.ToString(CultureInfo.InvariantCulture), busybox.ToString(CultureInfo.InvariantCulture)];
        Assert.Equal(rows, (await cli.RunAsync("history", "--human=false", "--format", "{{.Size}}", "sizes:1")).Succeeded().Lines);

        var human = (await cli.RunAsync("history", "--format", "{{.Size}}|{{.CreatedBy}}", "sizes:1")).Succeeded().Lines;
        // go-units' HumanSizeWithPrecision(200000, 3).
        Assert.Equal("200kB", human[0].Split('|')[0]);
        Assert.Equal("0B", human[1].Split('|')[0]);
        Assert.Contains("ENV GREETING=hi", human[1]);
        AssertThreeSignificantDigits(human[2].Split('|')[0], busybox);

        // Measured again from the blobs, the sizes are the same.
        Directory.Delete(Path.Combine(cli.Root, "layer-sizes"), recursive: true);
        Assert.Equal(rows, (await cli.RunAsync("history", "-H=false", "--format", "{{.Size}}", "sizes:1")).Succeeded().Lines);

        using var inspect = JsonDocument.Parse((await cli.RunAsync("inspect", "sizes:1")).Succeeded().Out);
        Assert.Equal(200000 + (2 * busybox), inspect.RootElement[0].GetProperty("Size").GetInt64());
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
}
