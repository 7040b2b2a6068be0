using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Oci.Tests.Layers;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DirectoryLayerSourceTests
{
    [Fact]
    public async Task ScanKeepsTypesModesOwnersLinksAndHardlinks()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("src", "sub"));
        await File.WriteAllTextAsync(dir.Combine("src", "sub", "a.txt"), "hello", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(dir.Combine("src", "sub", "a.txt"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(dir.Combine("src", "link"), "sub/a.txt");
        UnixNative.Link(dir.Combine("src", "sub", "a.txt"), dir.Combine("src", "b-hard"));
        var mtime = DateTimeOffset.FromUnixTimeSeconds(1_650_000_000);
        File.SetLastWriteTimeUtc(dir.Combine("src", "sub", "a.txt"), mtime.UtcDateTime);
        if (Environment.IsPrivilegedProcess)
        {
            UnixNative.LChown(dir.Combine("src", "sub"), 1234, 5678);
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
}
