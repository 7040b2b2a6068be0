using Dockerbuild.Oci.Unix;
using System.Runtime.Versioning;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Execution.Copy;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Tests.Execution.Copy;

/// <summary>
/// COPY semantics as the Dockerfile reference (docs.docker.com/reference/dockerfile/#copy) and
/// BuildKit's dockerfile2llb/fsutil define them.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class CopyPlannerTests
{
    private const int Dir755 = 0b111_101_101;

    [Fact]
    public async Task FileToRelativeDirectoryGoesUnderWorkdir()
    {
        // Reference: "COPY test.txt relativeDir/" copies to <WORKDIR>/relativeDir/test.txt.
        using var tree = new CopyTree();
        tree.Write("test.txt", "hello", 0b111_101_000);
        var entries = await tree.CopyAsync(["test.txt"], "relativeDir/", r => r with { WorkingDirectory = "/work" });

        var file = entries["work/relativeDir/test.txt"];
        Assert.Equal(LayerEntryType.RegularFile, file.Type);
        Assert.Equal(0b111_101_000, file.Mode); // modes are kept
        Assert.Equal((0, 0), (file.Uid, file.Gid));
        Assert.Equal("hello", tree.LastContents["work/relativeDir/test.txt"]);
        // Missing parents are made 0755 root-owned.
        Assert.Equal((LayerEntryType.Directory, Dir755, 0), (entries["work"].Type, entries["work"].Mode, entries["work"].Uid));
        Assert.Equal(LayerEntryType.Directory, entries["work/relativeDir"].Type);
    }

    [Fact]
    public async Task FileToPathWithoutSlashIsWrittenAtThatPath()
    {
        using var tree = new CopyTree();
        tree.Write("a.txt", "A");
        var entries = await tree.CopyAsync(["a.txt"], "/opt/renamed");
        Assert.Equal(LayerEntryType.RegularFile, entries["opt/renamed"].Type);
        Assert.Equal("A", tree.LastContents["opt/renamed"]);
    }

    [Fact]
    public async Task FileToExistingDirectoryWithoutSlashGoesInsideIt()
    {
        using var tree = new CopyTree();
        tree.Write("a.txt", "A");
        Directory.CreateDirectory(Path.Combine(tree.RootfsDir, "opt/app"));
        var entries = await tree.CopyAsync(["a.txt"], "/opt/app");
        Assert.True(entries.ContainsKey("opt/app/a.txt"));
        Assert.DoesNotContain(entries.Values, e => e.Path == "opt/app" && e.Type == LayerEntryType.RegularFile);
    }

    [Fact]
    public async Task FileToExistingDirectoryIsIgnoredWithLink()
    {
        // --link: the layer may not depend on what the destination holds.
        using var tree = new CopyTree();
        tree.Write("a.txt", "A");
        Directory.CreateDirectory(Path.Combine(tree.RootfsDir, "opt/app"));
        var entries = await tree.CopyAsync(["a.txt"], "/opt/app", r => r with { Link = true });
        Assert.Equal(LayerEntryType.RegularFile, entries["opt/app"].Type);
        Assert.Equal(Dir755, entries["opt"].Mode);
    }

    [Fact]
    public async Task DirectorySourceCopiesItsContentsNotItself()
    {
        // Reference: "The directory itself isn't copied, only its contents."
        using var tree = new CopyTree();
        tree.Write("src/one.txt", "1");
        tree.Write("src/sub/two.txt", "2");
        File.SetUnixFileMode(Path.Combine(tree.ContextDir, "src/sub"), (UnixFileMode)0b111_000_000);
        var entries = await tree.CopyAsync(["src"], "/app");

        Assert.Equal(["app", "app/one.txt", "app/sub", "app/sub/two.txt"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0b111_000_000, entries["app/sub"].Mode);
        // The destination itself is made 0755 (fsutil's MkdirAll), with the source directory's time.
        Assert.Equal(Dir755, entries["app"].Mode);
        Assert.Equal(Directory.GetLastWriteTimeUtc(Path.Combine(tree.ContextDir, "src")), entries["app"].ModificationTime.UtcDateTime);
    }

    [Fact]
    public async Task ExistingDestinationDirectoryKeepsItsMetadata()
    {
        using var tree = new CopyTree();
        tree.Write("src/one.txt", "1");
        var existing = Path.Combine(tree.RootfsDir, "app");
        Directory.CreateDirectory(existing);
        File.SetUnixFileMode(existing, (UnixFileMode)0b111_111_101);
        var entries = await tree.CopyAsync(["src"], "/app/");
        Assert.Equal(0b111_111_101, entries["app"].Mode);
        Assert.True(entries.ContainsKey("app/one.txt"));
    }

    [Fact]
    public async Task GlobsMatchPerSegmentWithGoSemantics()
    {
        // Reference: "COPY hom* /mydir/" and "COPY hom?.txt /mydir/".
        using var tree = new CopyTree();
        tree.Write("home.txt", "h");
        tree.Write("hom1.txt", "1");
        tree.Write("homes/inner.txt", "x");
        tree.Write("other.txt", "o");
        var star = await tree.CopyAsync(["hom*"], "/mydir/");
        Assert.Contains("mydir/home.txt", star.Keys);
        Assert.Contains("mydir/hom1.txt", star.Keys);
        Assert.Contains("mydir/inner.txt", star.Keys); // a matched directory copies its contents
        Assert.DoesNotContain("mydir/other.txt", star.Keys);

        var question = await tree.CopyAsync(["hom?.txt"], "/mydir/");
        Assert.Equal(["mydir", "mydir/hom1.txt", "mydir/home.txt"], question.Keys.Order(StringComparer.Ordinal));

        var classes = await tree.CopyAsync(["hom[0-9].txt", "[^h]*"], "/d/");
        Assert.Equal(["d", "d/hom1.txt", "d/other.txt"], classes.Keys.Order(StringComparer.Ordinal));

        var nested = await tree.CopyAsync(["*/inner.txt"], "/n/");
        Assert.Equal(["n", "n/inner.txt"], nested.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DoubleStarIsNotRecursiveInSources()
    {
        using var tree = new CopyTree();
        tree.Write("a/b/c.txt", "c");
        var entries = await tree.CopyAsync(["**/c.txt"], "/d/");
        Assert.Empty(entries); // "**" is "*" twice in one segment: only a/c.txt could match
    }

    [Fact]
    public async Task WildcardMatchingNothingCopiesNothing()
    {
        // dockerfile2llb sets AllowEmptyWildcard.
        using var tree = new CopyTree();
        tree.Write("a.txt", "a");
        var entries = await tree.CopyAsync(["*.nothing", "a.txt"], "/d/");
        Assert.Equal(["d", "d/a.txt"], entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MissingSourceFailsLikeBuildKit()
    {
        using var tree = new CopyTree();
        var error = await Assert.ThrowsAsync<CopyException>(() => tree.CopyAsync(["missing.txt"], "/d/"));
        Assert.Equal("failed to calculate checksum of ref context: \"/missing.txt\": not found", error.Message);
    }

    [Fact]
    public async Task DockerignoredFilesAreNotCopiedAndCannotBeNamed()
    {
        using var tree = new CopyTree();
        tree.Write(".dockerignore", "*.log\nsecret/\n!keep.log\n");
        tree.Write("app.txt", "a");
        tree.Write("debug.log", "d");
        tree.Write("keep.log", "k");
        tree.Write("secret/key", "s");
        var entries = await tree.CopyAsync(["."], "/app/");
        Assert.Contains("app/app.txt", entries.Keys);
        Assert.Contains("app/keep.log", entries.Keys);
        Assert.DoesNotContain("app/debug.log", entries.Keys);
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("app/secret", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<CopyException>(() => tree.CopyAsync(["debug.log"], "/app/"));
        Assert.Contains("\"/debug.log\": not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChownTakesNumericIds()
    {
        using var tree = new CopyTree();
        tree.Write("dir/f", "f");
        var both = await tree.CopyAsync(["dir"], "/new/x/", r => r with { Chown = "10:11" });
        Assert.All(both.Values, e => Assert.Equal((10, 11), (e.Uid, e.Gid)));

        // A uid alone gives the same gid (BuildKit's UserOpt_ByID).
        var uidOnly = await tree.CopyAsync(["dir/f"], "/f", r => r with { Chown = "1234" });
        Assert.Equal((1234, 1234), (uidOnly["f"].Uid, uidOnly["f"].Gid));
    }

    [Fact]
    public async Task ChownResolvesNamesThroughTheImagesPasswdAndGroup()
    {
        using var tree = new CopyTree();
        tree.WriteImage("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
        tree.WriteImage("etc/group", "root:x:0:\napp:x:1001:\nstaff:x:50:app\n");
        tree.Write("f", "f");

        var name = await tree.CopyAsync(["f"], "/a", r => r with { Chown = "app" });
        Assert.Equal((1000, 1001), (name["a"].Uid, name["a"].Gid)); // the user's primary group

        var names = await tree.CopyAsync(["f"], "/a", r => r with { Chown = "app:staff" });
        Assert.Equal((1000, 50), (names["a"].Uid, names["a"].Gid));

        var mixed = await tree.CopyAsync(["f"], "/a", r => r with { Chown = "app:7" });
        Assert.Equal((1000, 7), (mixed["a"].Uid, mixed["a"].Gid));
    }

    [Fact]
    public async Task CreatedParentsBelongToTheChownOwner()
    {
        using var tree = new CopyTree();
        tree.Write("f", "f");
        Directory.CreateDirectory(Path.Combine(tree.RootfsDir, "existing"));
        var entries = await tree.CopyAsync(["f"], "/existing/new/f", r => r with { Chown = "5:6" });
        Assert.Equal((5, 6, Dir755), (entries["existing/new"].Uid, entries["existing/new"].Gid, entries["existing/new"].Mode));
        Assert.Equal((0, 0), (entries["existing"].Uid, entries["existing"].Gid)); // an existing parent is left as it is
    }

    [Fact]
    public async Task ChmodSetsEveryCopiedFileAndDirectory()
    {
        using var tree = new CopyTree();
        tree.Write("d/f", "f", 0b110_100_100);
        tree.Write("d/sub/g", "g", 0b110_100_100);
        var entries = await tree.CopyAsync(["d"], "/x/y/", r => r with { Chmod = "0750" });
        Assert.Equal(0b111_101_000, entries["x/y/f"].Mode);
        Assert.Equal(0b111_101_000, entries["x/y/sub"].Mode);
        Assert.Equal(0b111_101_000, entries["x/y/sub/g"].Mode);
        // The destination directory and its parents are made by fsutil's MkdirAll: 0755, no --chmod.
        Assert.Equal(Dir755, entries["x/y"].Mode);
        Assert.Equal(Dir755, entries["x"].Mode);

        await Assert.ThrowsAsync<CopyException>(() => tree.CopyAsync(["d"], "/x/", r => r with { Chmod = "u+q" }));
    }

    [Theory]
    [InlineData("u+x", 0b111_100_100, 0b111_101_101)]
    [InlineData("go-r", 0b110_000_000, 0b111_001_001)]
    [InlineData("a=rX", 0b100_100_100, 0b101_101_101)]
    [InlineData("u=rwx,g=rx,o=", 0b111_101_000, 0b111_101_000)]
    [InlineData("+x", 0b111_101_101, 0b111_101_101)]
    public async Task SymbolicChmodChangesEachObjectsOwnMode(string chmod, int fileMode, int directoryMode)
    {
        // Dockerfile 1.14: "COPY --chmod now allows non-octal values", read as chmod(1) reads them.
        using var tree = new CopyTree();
        tree.Write("d/sub/f", "f", 0b110_100_100);
        var entries = await tree.CopyAsync(["d"], "/x/", r => r with { Chmod = chmod });
        Assert.Equal(fileMode, entries["x/sub/f"].Mode);
        Assert.Equal(directoryMode, entries["x/sub"].Mode);

        // The same as chmod(1) does to the same objects (umask 0, since --chmod knows none).
        var chmodTool = Dockerbuild.Testing.Require.Executable("chmod", "coreutils");
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh", ["-c", $"umask 0 && {chmodTool} {chmod} d/sub d/sub/f"]) { WorkingDirectory = tree.ContextDir };
        using (var process = System.Diagnostics.Process.Start(info)!)
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(fileMode, (int)File.GetUnixFileMode(Path.Combine(tree.ContextDir, "d/sub/f")));
        Assert.Equal(directoryMode, (int)File.GetUnixFileMode(Path.Combine(tree.ContextDir, "d/sub")));
    }

    [Fact]
    public async Task SymlinksInsideDirectoriesStaySymlinksAndTopLevelOnesAreFollowed()
    {
        using var tree = new CopyTree();
        tree.Write("dir/real.txt", "real");
        File.CreateSymbolicLink(Path.Combine(tree.ContextDir, "dir/link"), "real.txt");
        File.CreateSymbolicLink(Path.Combine(tree.ContextDir, "toplink"), "dir/real.txt");

        var dir = await tree.CopyAsync(["dir"], "/d/");
        Assert.Equal(LayerEntryType.SymbolicLink, dir["d/link"].Type);
        Assert.Equal("real.txt", dir["d/link"].LinkTarget);

        // dockerfile2llb sets FollowSymlinks: a source path that is a symlink copies what it points to.
        var top = await tree.CopyAsync(["toplink"], "/t/");
        Assert.Equal(LayerEntryType.RegularFile, top["t/toplink"].Type);
        Assert.Equal("real", tree.LastContents["t/toplink"]);
    }

    [Fact]
    public async Task HardlinksStayLinked()
    {
        using var tree = new CopyTree();
        tree.Write("d/a", "same");
        UnixFiles.Link(Path.Combine(tree.ContextDir, "d/a"), Path.Combine(tree.ContextDir, "d/b"));
        var entries = await tree.CopyAsync(["d"], "/x/");
        Assert.Equal(LayerEntryType.RegularFile, entries["x/a"].Type);
        Assert.Equal((LayerEntryType.HardLink, "x/a"), (entries["x/b"].Type, entries["x/b"].LinkTarget));
    }

    [Fact]
    public async Task DestinationThroughASymlinkedParentLandsAtItsTarget()
    {
        using var tree = new CopyTree();
        tree.Write("f", "f");
        Directory.CreateDirectory(Path.Combine(tree.RootfsDir, "real"));
        File.CreateSymbolicLink(Path.Combine(tree.RootfsDir, "alias"), "/real");
        var entries = await tree.CopyAsync(["f"], "/alias/sub/f");
        Assert.Contains("real/sub/f", entries.Keys);
    }

    [Fact]
    public async Task DestinationThatIsASymlinkToADirectoryIsFollowed()
    {
        using var tree = new CopyTree();
        tree.Write("f", "f");
        tree.Write("d/g", "g");
        Directory.CreateDirectory(Path.Combine(tree.RootfsDir, "real"));
        File.CreateSymbolicLink(Path.Combine(tree.RootfsDir, "alias"), "real");
        Assert.Contains("real/f", (await tree.CopyAsync(["f"], "/alias/")).Keys);
        Assert.Contains("real/f", (await tree.CopyAsync(["f"], "/alias")).Keys);
        Assert.Contains("real/g", (await tree.CopyAsync(["d"], "/alias")).Keys);
    }

    [Fact]
    public async Task TypeClashesFailAsInFsutil()
    {
        using var tree = new CopyTree();
        tree.Write("d/sub/f", "f");
        tree.WriteImage("x/sub", "a file where a directory comes");
        var error = await Assert.ThrowsAsync<CopyException>(() => tree.CopyAsync(["d"], "/x"));
        Assert.Equal("cannot copy to non-directory: /x/sub", error.Message);
    }

    [Fact]
    public async Task ExcludeSkipsMatchingFiles()
    {
        // Reference: "COPY --exclude=*.txt hom* /mydir/".
        using var tree = new CopyTree();
        tree.Write("hom.txt", "t");
        tree.Write("hom.md", "m");
        tree.Write("homedir/a.txt", "a");
        tree.Write("homedir/b.md", "b");
        var entries = await tree.CopyAsync(["hom*"], "/mydir/", r => r with { Excludes = ["*.txt"] });
        Assert.Contains("mydir/hom.md", entries.Keys);
        Assert.Contains("mydir/b.md", entries.Keys);
        Assert.DoesNotContain("mydir/hom.txt", entries.Keys);
        Assert.DoesNotContain("mydir/a.txt", entries.Keys);
    }

    [Fact]
    public async Task WithoutParentsALaterSourceSilentlyOverwritesAnEarlierOne()
    {
        // Reference: "COPY ./x/a.txt ./y/a.txt /no_parents/" gives /no_parents/a.txt; "Buildkit will
        // silently overwrite the target file at the destination".
        using var tree = new CopyTree();
        tree.Write("x/a.txt", "xa");
        tree.Write("y/a.txt", "ya");
        var entries = await tree.CopyAsync(["./x/a.txt", "./y/a.txt"], "/no_parents/");
        Assert.Equal(["no_parents", "no_parents/a.txt"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ya", tree.LastContents["no_parents/a.txt"]);
    }

    [Fact]
    public async Task ParentsKeepTheSourcesDirectoriesBelowThePivot()
    {
        // Reference: "COPY --parents ./x/a.txt ./y/a.txt /parents/" and "COPY --parents ./x/./y/*.txt /parents/".
        using var tree = new CopyTree();
        tree.Write("x/a.txt", "xa");
        tree.Write("y/a.txt", "ya");
        tree.Write("x/y/b.txt", "xyb");
        var plain = await tree.CopyAsync(["./x/a.txt", "./y/a.txt"], "/parents/", r => r with { Parents = true });
        Assert.Equal("xa", tree.LastContents["parents/x/a.txt"]);
        Assert.Equal("ya", tree.LastContents["parents/y/a.txt"]);
        Assert.Equal(LayerEntryType.Directory, plain["parents/x"].Type);

        var pivot = await tree.CopyAsync(["./x/./y/*.txt"], "/parents/", r => r with { Parents = true });
        Assert.Equal(["parents", "parents/y", "parents/y/b.txt"], pivot.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task HeredocSourcesAreFiles0664()
    {
        // dockerfile2llb: llb.Mkfile(path, 0664, data).
        using var tree = new CopyTree();
        var entries = await tree.CopyAsync([], "/etc/", r => r with { InlineSources = [new InlineSource("greeting", "hi there\n", Expand: true)] });
        Assert.Equal(0b110_110_100, entries["etc/greeting"].Mode);
        Assert.Equal("hi there\n", tree.LastContents["etc/greeting"]);

        var named = await tree.CopyAsync([], "/app/run.sh", r => r with { InlineSources = [new InlineSource("EOF", "echo\n", Expand: false)], Chmod = "755" });
        Assert.Equal(0b111_101_101, named["app/run.sh"].Mode);
    }

    [Fact]
    public async Task FromAnotherStageKeepsOwners()
    {
        using var tree = new CopyTree();
        var stage = tree.Combine("stage");
        CopyTree.WriteUnder(stage, "out/bin", "binary", 0b111_101_101);
        var owner = Environment.IsPrivilegedProcess ? (1234, 5678) : ((int)GetUid(), (int)GetUid());
        if (Environment.IsPrivilegedProcess)
        {
            UnixFiles.LChown(Path.Combine(stage, "out/bin"), 1234, 5678);
        }

        var entries = await tree.CopyAsync(["/out/bin"], "/usr/local/bin/", r => r with { Source = new DirectoryFileSystem(stage), SourceName = "build" });
        var file = entries["usr/local/bin/bin"];
        Assert.Equal(owner.Item1, file.Uid);
        Assert.Equal(0b111_101_101, file.Mode);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal(5678, file.Gid);
        }

        var error = await Assert.ThrowsAsync<CopyException>(() => tree.CopyAsync(["/nope"], "/", r => r with { Source = new DirectoryFileSystem(stage), SourceName = "build" }));
        Assert.Equal("failed to calculate checksum of ref build: \"/nope\": not found", error.Message);
    }

    [Fact]
    public async Task ExtendedAttributesAreCarriedButNotOverlayBookkeeping()
    {
        // fsutil's copier copies xattrs (copyXAttrs); overlayfs markers belong to the snapshot.
        using var tree = new CopyTree();
        tree.Write("d/tool", "x");
        UnixFiles.LSetXattr(Path.Combine(tree.ContextDir, "d/tool"), "user.origin", "stage"u8.ToArray());
        UnixFiles.LSetXattr(Path.Combine(tree.ContextDir, "d"), "user.overlay.opaque", "y"u8.ToArray());
        var entries = await tree.CopyAsync(["/"], "/out/");
        Assert.Equal("stage"u8.ToArray(), entries["out/d/tool"].ExtendedAttributes!["user.origin"]);
        Assert.Null(entries["out/d"].ExtendedAttributes);
    }

    [Fact]
    public async Task InputDigestFollowsContentNotTimes()
    {
        using var tree = new CopyTree();
        tree.Write("d/f", "one");
        await tree.CopyAsync(["d"], "/x/");
        var first = tree.LastDigest;
        File.SetLastWriteTimeUtc(Path.Combine(tree.ContextDir, "d/f"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        await tree.CopyAsync(["d"], "/x/");
        Assert.Equal(first, tree.LastDigest);
        tree.Write("d/f", "two");
        await tree.CopyAsync(["d"], "/x/");
        Assert.NotEqual(first, tree.LastDigest);
    }

    [Fact]
    public async Task CopyRefusesUrls()
    {
        using var tree = new CopyTree();
        var error = await Assert.ThrowsAsync<CopyException>(() => tree.CopyAsync(["http://127.0.0.1/x"], "/"));
        Assert.Equal("source can't be a URL for COPY", error.Message);
    }

    private static uint GetUid() => uint.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
