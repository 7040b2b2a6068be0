using Dockerbuild.Engine.Caching;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// A layer that a later step stands on is unpacked from its tar as it is written; what lands under
/// its diffID must be exactly what extracting the committed blob gives.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnpackWhileWrittenTests
{
    [Fact]
    public async Task ALayerUnpackedWhileWrittenIsTheBlobExtracted()
    {
        using var f = await BuildFixture.CreateAsync();
        var tree = Path.Combine(f.Context, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub", "deeper"));
        await File.WriteAllTextAsync(Path.Combine(tree, "a.txt"), "a\n", TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(tree, "sub", "big.bin"), new byte[3 * 1024 * 1024 + 17], TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "deeper", "x"), "x", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(Path.Combine(tree, "sub", "deeper", "x"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(tree, "link"), "sub/deeper/x");

        var result = await f.BuildAsync("FROM busybox:test\nCOPY --chown=7:8 tree /t\nRUN rm /t/a.txt && wc -c /t/sub/big.bin > /t/count\nCOPY tree/a.txt /last\n");

        var diffIds = result.Config.RootFs.DiffIds;
        var manifest = await f.Store.Blobs.ReadJsonAsync<ImageManifest>(result.ManifestDigest, TestContext.Current.CancellationToken);
        var layersRoot = StorePaths.Layers(f.Store.Blobs.Root);
        for (var i = 1; i <= 2; i++)
        {
            // The COPY and the RUN each have a later step; both were unpacked while written.
            var unpacked = Path.Combine(layersRoot, diffIds[i].Hex);
            Assert.True(Directory.Exists(unpacked), $"layer {i} was not unpacked");
            var expected = Path.Combine(f.Context, "..", "expected-" + i);
            await using (var blob = await f.Store.Blobs.OpenBlobAsync(manifest.Value.Layers[i].Digest, TestContext.Current.CancellationToken))
            {
                await LayerExtractor.ExtractAsync(blob, expected, new LayerExtractOptions { Whiteouts = WhiteoutHandling.Overlay }, TestContext.Current.CancellationToken);
            }

            Assert.Equal(Describe(expected), Describe(unpacked));
        }

        // The last COPY has nothing after it, so it is not unpacked until something needs it.
        Assert.False(Directory.Exists(Path.Combine(layersRoot, diffIds[^1].Hex)));
    }

    /// <summary>Every entry with its type (an overlay whiteout's mtime is when it was made, so it is left out), mode, owner, mtime, size, device numbers, overlay opaque marker, and link target or content digest.</summary>
    private static List<string> Describe(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                var status = UnixFiles.LStat(path);
                var content = File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint) || Directory.Exists(path) || status.Size == 0
                    ? new FileInfo(path).LinkTarget ?? ""
                    : Digest.Compute(File.ReadAllBytes(path)).ToString();
                var opaque = UnixFiles.TryLGetXattr(path, "trusted.overlay.opaque") is { } value ? Convert.ToHexString(value) : "-";
                return $"{Path.GetRelativePath(root, path)} {status.Mode:x} {status.Uid}:{status.Gid} {(status.IsOverlayWhiteout ? "whiteout" : $"{status.MtimeSeconds}.{status.MtimeNanoseconds}")} {status.Size} {status.RdevMajor}:{status.RdevMinor} {opaque} {content}";
            })];
}
