using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Oci.Unix;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// Rootless extraction (whiteouts applied, then recorded as a 0/0 device and user.overlay.opaque)
/// keeps what an upper layer deleted hidden when the layers are stacked again; runs as root too,
/// since the kernel lets anyone make a whiteout device and set user.* xattrs on their own files.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WhiteoutMarkersTests
{
    [Fact]
    public async Task AppliedLayersWithMarkersStackToTheTreeTheLayersMean()
    {
        using var root = new TempDirectory("dockerbuild-markers-");
        var blobs = new BlobStore(root.Combine("store"));
        var layers = await WhiteoutLayers.AddAsync(blobs);
        var dirs = new List<string>();
        foreach (var (layer, _) in layers)
        {
            var dir = root.Combine("layer-" + dirs.Count);
            await using (var blob = await blobs.OpenBlobAsync(layer.Digest, TestContext.Current.CancellationToken))
            {
                await LayerExtractor.ExtractAsync(blob, dir, new LayerExtractOptions { Whiteouts = WhiteoutHandling.Apply }, TestContext.Current.CancellationToken);
            }

            await using (var blob = await blobs.OpenBlobAsync(layer.Digest, TestContext.Current.CancellationToken))
            {
                await WhiteoutMarkers.WriteAsync(blob, dir, TestContext.Current.CancellationToken);
            }

            dirs.Add(dir);
        }

        Assert.True(UnixFiles.LStat(Path.Combine(dirs[1], "gone")).IsOverlayWhiteout);
        Assert.Equal("y"u8.ToArray(), UnixFiles.TryLGetXattr(Path.Combine(dirs[1], "d"), "user.overlay.opaque"));
        Assert.False(File.Exists(Path.Combine(dirs[1], "d", ".wh..wh..opq")));

        await using var snapshot = await RootfsSnapshots.CreateAsync([dirs[1], dirs[0]], root.Combine("work"), SnapshotKind.Copy, TestContext.Current.CancellationToken);
        Assert.Equal(["d", "d/new"], Tree(snapshot.RootfsPath));
        var merged = new Dockerbuild.Engine.Context.LayeredFileSystem([dirs[1], dirs[0]]);
        Assert.Equal(["d"], merged.List("").Select(e => e.Name));
        Assert.Equal(["new"], merged.List("d").Select(e => e.Name));
    }

    private static List<string> Tree(string rootfs) =>
        [.. Directory.EnumerateFileSystemEntries(rootfs, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(rootfs, p)).Order(StringComparer.Ordinal)];
}
