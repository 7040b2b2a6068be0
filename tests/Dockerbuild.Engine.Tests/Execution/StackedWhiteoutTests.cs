using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// Deletions and replacements across several RUN layers, with both snapshot kinds. The expectation
/// is what the commands did (the tree a later RUN sees and the tree the exported image unpacks to
/// must both be it), and BuildKit's layer form: a whiteout per deleted name, and for a directory
/// removed and made again a whiteout per old child instead of an opaque marker.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StackedWhiteoutTests
{
    private const string Dockerfile = """
        FROM busybox:test
        RUN mkdir -p /t/deldir/sub /t/d2f/inner /t/opq/sub && echo f > /t/delfile && echo x > /t/deldir/sub/x \
            && echo i > /t/d2f/inner/i && echo f > /t/f2d && echo old > /t/opq/old && echo s > /t/opq/sub/s
        RUN rm /t/delfile && rm -rf /t/deldir && rm -rf /t/d2f && echo file > /t/d2f \
            && rm /t/f2d && mkdir /t/f2d && echo in > /t/f2d/in \
            && rm -rf /t/opq && mkdir /t/opq && echo new > /t/opq/new
        RUN echo back > /t/delfile && mkdir /t/deldir && echo n > /t/deldir/n \
            && rm /t/d2f && mkdir /t/d2f && echo again > /t/d2f/again && rm -rf /t/f2d && echo file > /t/f2d
        RUN find /t | sort > /seen
        """;

    private static readonly string[] Expected =
    [
        "/t", "/t/d2f", "/t/d2f/again", "/t/deldir", "/t/deldir/n", "/t/delfile", "/t/f2d", "/t/opq", "/t/opq/new",
    ];

    [Theory]
    [InlineData(SnapshotKind.Overlay)]
    [InlineData(SnapshotKind.Copy)]
    public async Task LayersOfDeletionsAndReplacementsGiveTheTreeTheCommandsMade(SnapshotKind kind)
    {
        using var f = await BuildFixture.CreateAsync();
        f.Snapshots = kind;
        var result = await f.BuildAsync(Dockerfile);

        var rootfs = await f.ExtractAsync(result);
        var seen = (await File.ReadAllTextAsync(Path.Combine(rootfs, "seen"), TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Expected, seen);
        var unpacked = Directory.EnumerateFileSystemEntries(Path.Combine(rootfs, "t"), "*", SearchOption.AllDirectories)
            .Select(p => "/" + Path.GetRelativePath(rootfs, p)).Prepend("/t").Order(StringComparer.Ordinal);
        Assert.Equal(Expected, unpacked);
        Assert.Equal("back\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "t", "delfile"), TestContext.Current.CancellationToken));
        Assert.Equal("file\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "t", "f2d"), TestContext.Current.CancellationToken));

        var manifest = await f.Store.Blobs.ReadJsonAsync<ImageManifest>(result.ManifestDigest, TestContext.Current.CancellationToken);
        var deletions = await TarNamesAsync(f, manifest.Value.Layers[2]);
        Assert.Equal(
            ["t", "t/.wh.deldir", "t/.wh.delfile", "t/d2f", "t/f2d", "t/f2d/in", "t/opq", "t/opq/.wh.old", "t/opq/.wh.sub", "t/opq/new"],
            deletions);
    }

    /// <summary>The entry names of a layer as stored (whiteouts included), in order, without trailing slashes.</summary>
    private static async Task<List<string>> TarNamesAsync(BuildFixture f, Descriptor layer)
    {
        await using var blob = await f.Store.Blobs.OpenBlobAsync(layer.Digest, TestContext.Current.CancellationToken);
        await using var gzip = new System.IO.Compression.GZipStream(blob, System.IO.Compression.CompressionMode.Decompress);
        await using var reader = new System.Formats.Tar.TarReader(gzip);
        var names = new List<string>();
        while (await reader.GetNextEntryAsync(cancellationToken: TestContext.Current.CancellationToken) is { } entry)
        {
            names.Add(entry.Name.TrimEnd('/'));
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }
}
