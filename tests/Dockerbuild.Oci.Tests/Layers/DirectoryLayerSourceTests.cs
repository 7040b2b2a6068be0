using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Unix;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Layers;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DirectoryLayerSourceTests
{
    [Fact]
    public async Task ScanKeepsTypesModesOwnersLinksAndHardlinks()
    {
        using var dir = new TempDirectory("dockerbuild-layers-");
        Directory.CreateDirectory(dir.Combine("src", "sub"));
        await File.WriteAllTextAsync(dir.Combine("src", "sub", "a.txt"), "hello", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(dir.Combine("src", "sub", "a.txt"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(dir.Combine("src", "link"), "sub/a.txt");
        UnixFiles.Link(dir.Combine("src", "sub", "a.txt"), dir.Combine("src", "b-hard"));
        var mtime = DateTimeOffset.FromUnixTimeSeconds(1_650_000_000);
        File.SetLastWriteTimeUtc(dir.Combine("src", "sub", "a.txt"), mtime.UtcDateTime);
        if (Environment.IsPrivilegedProcess)
        {
            UnixFiles.LChown(dir.Combine("src", "sub"), 1234, 5678);
        }

        var entries = DirectoryLayerSource.Scan(dir.Combine("src"), new DirectoryScanOptions { PathPrefix = "/app/" }).ToDictionary(e => e.Path);

        Assert.Equal(["app", "app/b-hard", "app/link", "app/sub", "app/sub/a.txt"], entries.Keys);
        Assert.Equal((LayerEntryType.SymbolicLink, "sub/a.txt"), (entries["app/link"].Type, entries["app/link"].LinkTarget));
        // Both names share an inode: the one that sorts first carries the content.
        Assert.Equal((LayerEntryType.RegularFile, 5L), (entries["app/b-hard"].Type, entries["app/b-hard"].Size));
        Assert.Equal((LayerEntryType.HardLink, "app/b-hard"), (entries["app/sub/a.txt"].Type, entries["app/sub/a.txt"].LinkTarget));
        Assert.Equal(0b101_000_000, entries["app/b-hard"].Mode);
        Assert.Equal(mtime, entries["app/b-hard"].ModificationTime);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal((1234, 5678), (entries["app/sub"].Uid, entries["app/sub"].Gid));
        }

        var chowned = DirectoryLayerSource.Scan(dir.Combine("src"), new DirectoryScanOptions { Uid = 1, Gid = 2 });
        Assert.All(chowned, e => Assert.Equal((1, 2), (e.Uid, e.Gid)));
    }

    [Fact]
    public async Task AnOverlayUpperdirBecomesADiffWhoseWhiteoutsApplyToTheLowerTree()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Dockerbuild.Testing.Require.Fail("overlay whiteouts (char devices, trusted.* xattrs) need root");
        }

        var ct = TestContext.Current.CancellationToken;
        using var lower = new Sandbox();
        await lower.ExtractAsync(new CraftedLayer().File("etc/gone").File("etc/kept").File("var/cache/old").File("var/cache/older"));
        using var upper = new TempDirectory("dockerbuild-layers-");
        Directory.CreateDirectory(upper.Combine("etc"));
        UnixFiles.MkNod(upper.Combine("etc", "gone"), UnixFileStatus.CharDevice, 0, 0);
        Directory.CreateDirectory(upper.Combine("var", "cache"));
        UnixFiles.LSetXattr(upper.Combine("var", "cache"), "trusted.overlay.opaque", "y"u8.ToArray());
        await File.WriteAllTextAsync(upper.Combine("var", "cache", "new"), "new", ct);

        var entries = DirectoryLayerSource.Scan(upper.Path, new DirectoryScanOptions { OverlayWhiteouts = true });
        Assert.Contains(entries, e => e is { Path: "etc/.wh.gone", Type: LayerEntryType.RegularFile, Mode: 0, Size: 0 });
        Assert.Contains(entries, e => e is { Path: "var/cache/.wh..wh..opq", Type: LayerEntryType.RegularFile });
        Assert.DoesNotContain(entries, e => e.Type == LayerEntryType.CharacterDevice);
        using var blob = new MemoryStream();
        await LayerWriter.WriteAsync(entries, blob, new LayerWriteOptions(), ct);
        blob.Position = 0;
        await LayerExtractor.ExtractAsync(blob, lower.Root, new LayerExtractOptions(), ct);

        Assert.False(Path.Exists(lower.InRoot("etc/gone")));
        Assert.True(File.Exists(lower.InRoot("etc/kept")));
        Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(lower.InRoot("var/cache")).Select(Path.GetFileName));
    }
}
