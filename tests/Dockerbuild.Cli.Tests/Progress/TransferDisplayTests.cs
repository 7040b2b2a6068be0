using Dockerbuild.Cli.Progress;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Cli.Tests.Progress;

/// <summary>
/// Progress as docker shows it: in logs one line per status change named by the layer's short digest;
/// on a terminal lines redrawn in place with docker's 50-character bar.
/// </summary>
public sealed class TransferDisplayTests
{
    private static readonly Digest Layer = Digest.Compute("layer"u8);
    private static readonly Digest Config = Digest.Compute("config"u8);

    [Fact]
    public void PullInALogIsOneLinePerStatusChange()
    {
        using var output = new StringWriter();
        var display = new TransferDisplay(output, live: false, TransferDirection.Pull, [Layer]);
        display.Start([Layer]);
        display.Report(new TransferProgress(Layer, 0, 100, TransferStatus.Waiting));
        display.Report(new TransferProgress(Layer, 10, 100, TransferStatus.Downloading));
        display.Report(new TransferProgress(Layer, 50, 100, TransferStatus.Downloading));
        display.Report(new TransferProgress(Config, 0, 5, TransferStatus.Waiting));
        display.Report(new TransferProgress(Layer, 100, 100, TransferStatus.Complete));
        display.Finish();
        var id = Layer.Short;
        Assert.Equal([$"{id}: Pulling fs layer", $"{id}: Download complete", $"{id}: Pull complete"], Lines(output));
    }

    [Fact]
    public void PushInALogSaysPreparingThenHowTheLayerGotThere()
    {
        using var output = new StringWriter();
        var other = Digest.Compute("other"u8);
        var mounted = Digest.Compute("mounted"u8);
        var display = new TransferDisplay(output, live: false, TransferDirection.Push, [Layer, other, mounted], mountedFrom: "library/base");
        display.Start([Layer, other, mounted]);
        display.Report(new TransferProgress(Layer, 10, 100, TransferStatus.Uploading));
        display.Report(new TransferProgress(Layer, 100, 100, TransferStatus.Complete));
        display.Report(new TransferProgress(other, 7, 7, TransferStatus.Exists));
        display.Report(new TransferProgress(mounted, 7, 7, TransferStatus.Mounted));
        Assert.Equal(
            [$"{Layer.Short}: Preparing", $"{other.Short}: Preparing", $"{mounted.Short}: Preparing", $"{Layer.Short}: Pushed", $"{other.Short}: Layer already exists", $"{mounted.Short}: Mounted from library/base"],
            Lines(output));
    }

    [Fact]
    public void OnATerminalLinesAreRedrawnInPlaceWithABar()
    {
        using var output = new StringWriter();
        var display = new TransferDisplay(output, live: true, TransferDirection.Pull, [Layer]);
        display.Start([Layer]);
        display.Report(new TransferProgress(Layer, 50, 100, TransferStatus.Downloading));
        display.Finish();
        var text = output.ToString();
        Assert.Contains("\u001b[1A", text);
        Assert.Contains($"{Layer.Short}: Downloading [{new string('=', 25)}>{new string(' ', 25)}]      50B/100B", text);
    }

    [Theory]
    [InlineData(0L, 1000L, "[>                                                  ]       0B/1kB")]
    [InlineData(12_300_000L, 45_600_000L, "[=============>                                     ]   12.3MB/45.6MB")]
    [InlineData(2000L, 1000L, "[==================================================>]      2kB/1kB")]
    public void BarIsDockersFiftyCharacterBarThenCurrentOverTotal(long current, long total, string expected) =>
        Assert.Equal(expected, ProgressBar.Format(current, total));

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
