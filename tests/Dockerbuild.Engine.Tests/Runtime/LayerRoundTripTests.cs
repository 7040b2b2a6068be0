using System.Text;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Runtime;

/// <summary>
/// The whole path of a RUN's layer: diff of a snapshot, written by the layer writer, extracted with
/// overlay whiteouts, and stacked as a lowerdir again shows exactly the tree the RUN left.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LayerRoundTripTests : IDisposable
{
    private readonly TempDirectory root = new("dockerbuild-roundtrip-");

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData(SnapshotKind.Overlay)]
    [InlineData(SnapshotKind.Copy)]
    public async Task ADiffLayerStackedOnItsBaseGivesTheTreeTheRunLeft(SnapshotKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var bottom = root.Combine("l1");
        await ExtractAsync(
            [
                LayerEntry.Directory("data"), LayerEntry.File("data/a", "a"u8.ToArray()), LayerEntry.File("data/b", "b"u8.ToArray()),
                LayerEntry.Directory("dir"), LayerEntry.File("dir/x", "x"u8.ToArray()), LayerEntry.File("dir/y", "y"u8.ToArray()),
            ],
            bottom);

        IReadOnlyList<LayerEntry> diff;
        await using (var run = await RootfsSnapshots.CreateAsync([bottom], root.Combine("work"), kind, ct))
        {
            File.Delete(Path.Combine(run.RootfsPath, "data", "a"));
            await File.WriteAllTextAsync(Path.Combine(run.RootfsPath, "data", "b"), "b2", ct);
            Directory.Delete(Path.Combine(run.RootfsPath, "dir"), recursive: true);
            Directory.CreateDirectory(Path.Combine(run.RootfsPath, "dir"));
            await File.WriteAllTextAsync(Path.Combine(run.RootfsPath, "dir", "z"), "z", ct);
            diff = await run.DiffAsync(DateTimeOffset.UnixEpoch, ct);
            await ExtractAsync(diff, root.Combine("l2"));
        }

        await using var stacked = await RootfsSnapshots.CreateAsync([root.Combine("l2"), bottom], root.Combine("work"), kind, ct);

        Assert.Equal(["data/", "data/b=b2", "dir/", "dir/z=z"], Tree(stacked.RootfsPath));
    }

    private static async Task ExtractAsync(IReadOnlyList<LayerEntry> entries, string directory)
    {
        using var tar = new MemoryStream();
        await LayerWriter.WriteAsync(entries, tar, new LayerWriteOptions { Compression = LayerCompression.None }, TestContext.Current.CancellationToken);
        tar.Position = 0;
        await LayerExtractor.ExtractAsync(tar, directory, new LayerExtractOptions { Whiteouts = WhiteoutHandling.Overlay }, TestContext.Current.CancellationToken);
    }

    private static List<string> Tree(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(directory, path) + (Directory.Exists(path) ? "/" : "=" + Encoding.UTF8.GetString(File.ReadAllBytes(path))))
            .Order(StringComparer.Ordinal)];
}
