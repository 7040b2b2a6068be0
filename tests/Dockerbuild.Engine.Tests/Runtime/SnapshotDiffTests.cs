using Dockerbuild.Oci.Unix;
using System.Runtime.InteropServices;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Runtime;

public sealed class SnapshotDiffTests : IDisposable
{
    private static readonly DateTimeOffset WhiteoutTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private readonly TempDirectory root = new("dockerbuild-snapshot-");

    public void Dispose() => root.Dispose();

    /// <summary>
    /// What BuildKit writes for this RUN: changed files with their parent directories, a whiteout per
    /// deleted name (a removed directory is one whiteout; a directory removed and made again gets a
    /// whiteout per old child, not an opaque marker), and none of the mount stubs.
    /// </summary>
    [Theory]
    [InlineData(SnapshotKind.Overlay)]
    [InlineData(SnapshotKind.Copy)]
    public async Task RunChangesBecomeOciLayerEntriesWithoutMountStubs(SnapshotKind kind)
    {
        var runc = Require.Executable("runc", "runc");
        var lower = BusyboxRootfs.Create(root.Combine("lower"));
        WriteFiles(lower, "data/keep.txt", "data/modify.txt", "data/remove.txt", "gone/x", "gone/sub/y", "recreate/old1", "recreate/old2");
        var cacheSource = Directory.CreateDirectory(root.Combine("cache")).FullName;

        await using var snapshot = await RootfsSnapshots.CreateAsync([lower], root.Combine("work"), kind, TestContext.Current.CancellationToken);
        var runtime = new RuncRuntime(new RuncRuntimeOptions { Binary = runc, StateRoot = root.Combine("state") });
        var result = await runtime.RunAsync(
            new ContainerSpec
            {
                RootfsPath = snapshot.RootfsPath,
                Args = ["/bin/sh", "-c", "echo new > /data/new.txt && echo changed > /data/modify.txt && rm /data/remove.txt && rm -rf /gone && rm -rf /recreate && mkdir /recreate && echo n > /recreate/fresh && ls /a/b/c /etc/hosts /etc/resolv.conf >/dev/null"],
                Env = ["PATH=/bin"],
                Mounts = [ContainerMount.Bind(cacheSource, "/a/b/c", readOnly: false)],
            },
            null,
            TestContext.Current.CancellationToken);
        Assert.Equal(0, result.ExitCode);

        var entries = await snapshot.DiffAsync(WhiteoutTime, TestContext.Current.CancellationToken);

        Assert.Equal(
            [".wh.gone (0)", "data/", "data/.wh.remove.txt (0)", "data/modify.txt (8)", "data/new.txt (4)", "recreate/", "recreate/.wh.old1 (0)", "recreate/.wh.old2 (0)", "recreate/fresh (2)"],
            await LayerListing.ListAsync(entries));
        var whiteout = Assert.Single(entries, e => e.Path == ".wh.gone");
        Assert.Equal(WhiteoutTime, whiteout.ModificationTime);
        Assert.Equal(0, whiteout.Mode);
    }

    /// <summary>
    /// Several lowers, the top one holding overlay whiteouts (as the layer extractor leaves them):
    /// the rootfs shows the merged tree, and overlay and copy snapshots give the same diff.
    /// </summary>
    [Fact]
    public async Task OverlayAndCopyAgreeOverLayersWithWhiteouts()
    {
        Require.Executable("busybox", "busybox-static");
        var bottom = root.Combine("l1");
        WriteFiles(bottom, "data/keep", "data/hidden-by-l2", "opaque/old-in-l1", "opaque/sub/deep");
        var top = root.Combine("l2");
        WriteFiles(top, "opaque/new-in-l2", "opaque/other-in-l2");
        Directory.CreateDirectory(Path.Combine(top, "data"));
        UnixFiles.MkNod(Path.Combine(top, "data", "hidden-by-l2"), 0x2000 | 0b110_000_000, 0, 0);
        UnixFiles.LSetXattr(Path.Combine(top, "opaque"), "trusted.overlay.opaque", "y"u8.ToArray());
        CopyDirectoryMetadata(bottom, top, "data");
        CopyDirectoryMetadata(bottom, top, "opaque");

        var listings = new List<List<string>>();
        foreach (var kind in (SnapshotKind[])[SnapshotKind.Overlay, SnapshotKind.Copy])
        {
            await using var snapshot = await RootfsSnapshots.CreateAsync([top, bottom], root.Combine("work"), kind, TestContext.Current.CancellationToken);
            Assert.Equal(["data/keep"], Names(snapshot.RootfsPath, "data"));
            Assert.Equal(["opaque/new-in-l2", "opaque/other-in-l2"], Names(snapshot.RootfsPath, "opaque"));

            File.Delete(Path.Combine(snapshot.RootfsPath, "opaque", "new-in-l2"));
            await File.WriteAllTextAsync(Path.Combine(snapshot.RootfsPath, "data", "added"), "added", TestContext.Current.CancellationToken);
            File.CreateSymbolicLink(Path.Combine(snapshot.RootfsPath, "link"), "data/keep");
            listings.Add(await LayerListing.ListAsync(await snapshot.DiffAsync(WhiteoutTime, TestContext.Current.CancellationToken)));
        }

        // As containerd's ChangeWriter (includeParents on deletions too), a whiteout brings its parent directory along.
        Assert.Equal(["data/", "data/added (5)", "link -> data/keep", "opaque/", "opaque/.wh.new-in-l2 (0)"], listings[0]);
        Assert.Equal(listings[0], listings[1]);
    }

    [Fact]
    public async Task UnchangedCopiedUpDirectoriesAndShortLivedFilesLeaveNoTrace()
    {
        var lower = root.Combine("lower");
        WriteFiles(lower, "a/b/file");
        await using var snapshot = await OverlaySnapshot.CreateAsync([lower], root.Combine("work"), TestContext.Current.CancellationToken);
        var temporary = Path.Combine(snapshot.RootfsPath, "a", "b", "temporary");
        await File.WriteAllTextAsync(temporary, "x", TestContext.Current.CancellationToken);
        File.Delete(temporary);

        var entries = await snapshot.DiffAsync(WhiteoutTime, TestContext.Current.CancellationToken);

        Assert.True(Directory.Exists(Path.Combine(root.Path, "work")) && Directory.EnumerateFileSystemEntries(root.Combine("work"), "b", SearchOption.AllDirectories).Any(), "a/b was copied up");
        Assert.Empty(entries);
    }

    /// <summary>
    /// Metadata-only changes count, type changes replace the entry, and files whose content and
    /// metadata are unchanged are left out even when their mtimes lost their nanoseconds in a tar
    /// round trip (the content is compared then).
    /// </summary>
    [Theory]
    [InlineData(SnapshotKind.Overlay)]
    [InlineData(SnapshotKind.Copy)]
    public async Task ModeOwnerAndTypeChangesAreModifications(SnapshotKind kind)
    {
        var lower = root.Combine("lower");
        WriteFiles(lower, "same", "chmod", "chown", "file-to-dir", "dir-to-file/child", "touched");
        foreach (var path in Directory.EnumerateFileSystemEntries(lower, "*", SearchOption.AllDirectories))
        {
            var stat = UnixFiles.LStat(path);
            UnixFiles.LSetTimes(path, stat.AtimeSeconds, 0, stat.MtimeSeconds, 0);
        }

        await using var snapshot = await RootfsSnapshots.CreateAsync([lower], root.Combine("work"), kind, TestContext.Current.CancellationToken);
        var rootfs = snapshot.RootfsPath;
        UnixFiles.Chmod(Path.Combine(rootfs, "chmod"), 0b111_101_101);
        UnixFiles.LChown(Path.Combine(rootfs, "chown"), 1000, 1000);
        File.Delete(Path.Combine(rootfs, "file-to-dir"));
        Directory.CreateDirectory(Path.Combine(rootfs, "file-to-dir"));
        Directory.Delete(Path.Combine(rootfs, "dir-to-file"), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(rootfs, "dir-to-file"), "now a file", TestContext.Current.CancellationToken);
        var touched = UnixFiles.LStat(Path.Combine(rootfs, "touched"));
        UnixFiles.LSetTimes(Path.Combine(rootfs, "touched"), touched.AtimeSeconds, 0, touched.MtimeSeconds + 5, 0);

        var entries = await snapshot.DiffAsync(WhiteoutTime, TestContext.Current.CancellationToken);

        Assert.Equal(["chmod (5)", "chown (5)", "dir-to-file (10)", "file-to-dir/", "touched (7)"], await LayerListing.ListAsync(entries));
        Assert.Equal(0b111_101_101, entries.Single(e => e.Path == "chmod").Mode);
        Assert.Equal(1000, entries.Single(e => e.Path == "chown").Uid);
    }

    [Fact]
    public async Task HardlinksCreatedByTheRunStayHardlinks()
    {
        var lower = root.Combine("lower");
        WriteFiles(lower, "etc/keep");
        await using var snapshot = await OverlaySnapshot.CreateAsync([lower], root.Combine("work"), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(snapshot.RootfsPath, "one"), "shared", TestContext.Current.CancellationToken);
        UnixFiles.Link(Path.Combine(snapshot.RootfsPath, "one"), Path.Combine(snapshot.RootfsPath, "two"));

        var listing = await LayerListing.ListAsync(await snapshot.DiffAsync(WhiteoutTime, TestContext.Current.CancellationToken));

        Assert.Equal(["one (6)", "two link to one"], listing);
    }

    /// <summary>Mount options are limited to a page: many long layer paths are reached through short links.</summary>
    [Fact]
    public async Task ManyLongLowerDirectoriesStillMount()
    {
        var lowers = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var layer = root.Combine("layers", $"{i:D3}-{new string('x', 150)}");
            WriteFiles(layer, $"files/from-{i:D3}");
            lowers.Add(layer);
        }

        Assert.True(string.Join(':', lowers).Length > 4096);
        lowers.Reverse();
        await using var snapshot = await OverlaySnapshot.CreateAsync(lowers, root.Combine("work"), TestContext.Current.CancellationToken);

        Assert.Equal(40, Names(snapshot.RootfsPath, "files").Count);
        await File.WriteAllTextAsync(Path.Combine(snapshot.RootfsPath, "files", "from-007"), "changed", TestContext.Current.CancellationToken);
        Assert.Equal(["files/", "files/from-007 (7)"], await LayerListing.ListAsync(await snapshot.DiffAsync(WhiteoutTime, TestContext.Current.CancellationToken)));
    }

    private static void WriteFiles(string directory, params string[] files)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(directory, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }
    }

    /// <summary>An extracted layer's directories carry the image's metadata; here the same as the layer below.</summary>
    private static void CopyDirectoryMetadata(string from, string to, string directory)
    {
        var source = new DirectoryInfo(Path.Combine(from, directory));
        var target = new DirectoryInfo(Path.Combine(to, directory));
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            target.UnixFileMode = source.UnixFileMode;
        }
    }

    private static List<string> Names(string rootfs, string directory) =>
        [.. Directory.EnumerateFileSystemEntries(Path.Combine(rootfs, directory)).Select(p => directory + "/" + Path.GetFileName(p)).Order(StringComparer.Ordinal)];
}
