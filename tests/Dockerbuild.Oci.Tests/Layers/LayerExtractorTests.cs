using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Unix;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Layers;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LayerExtractorTests
{
    [Fact]
    public async Task LinksInsideTheRootAreKeptAsTheyAre()
    {
        using var sandbox = new Sandbox();
        var layer = new CraftedLayer()
            .Directory("etc")
            .File("etc/hostname", "box")
            .Symlink("abs", "/etc/hostname")
            .Symlink("rel", "etc/hostname")
            .HardLink("hard", "etc/hostname")
            .HardLink("hard-abs", "/etc/hostname");

        await sandbox.ExtractAsync(layer);

        Assert.Equal("/etc/hostname", new FileInfo(sandbox.InRoot("abs")).LinkTarget);
        Assert.Equal("etc/hostname", new FileInfo(sandbox.InRoot("rel")).LinkTarget);
        var inode = UnixFiles.LStat(sandbox.InRoot("etc/hostname")).Inode;
        Assert.Equal(inode, UnixFiles.LStat(sandbox.InRoot("hard")).Inode);
        Assert.Equal(inode, UnixFiles.LStat(sandbox.InRoot("hard-abs")).Inode);
        Assert.Equal(3u, UnixFiles.LStat(sandbox.InRoot("hard")).LinkCount);
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task WhiteoutsDeleteWhatLowerLayersWrote()
    {
        using var sandbox = new Sandbox();
        await sandbox.ExtractAsync(new CraftedLayer().File("keep").File("gone").File("dir/a").File("dir/b").File("tree/x/y"));

        await sandbox.ExtractAsync(new CraftedLayer().File(".wh.gone", "").File("dir/.wh.a", "").File(".wh.tree", "").File(".wh.never-existed", ""));

        Assert.True(File.Exists(sandbox.InRoot("keep")));
        Assert.False(Path.Exists(sandbox.InRoot("gone")));
        Assert.False(Path.Exists(sandbox.InRoot("dir/a")));
        Assert.True(File.Exists(sandbox.InRoot("dir/b")));
        Assert.False(Path.Exists(sandbox.InRoot("tree")));
        Assert.False(Path.Exists(sandbox.InRoot(".wh.gone")));
    }

    [Fact]
    public async Task AnOpaqueDirectoryHidesLowerContentButKeepsItsOwnWhereverItComes()
    {
        using var sandbox = new Sandbox();
        await sandbox.ExtractAsync(new CraftedLayer().File("dir/lower").File("dir/sub/lower").File("other/lower"));

        // "dir/-early" sorts before the marker, "dir/sub/new" after it: both are this layer's.
        await sandbox.ExtractAsync(new CraftedLayer().File("dir/-early").File("dir/.wh..wh..opq", "").File("dir/sub/new"));

        Assert.Equal(["-early", "sub"], Directory.EnumerateFileSystemEntries(sandbox.InRoot("dir")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(sandbox.InRoot("dir/sub")).Select(Path.GetFileName));
        Assert.True(File.Exists(sandbox.InRoot("other/lower")));
    }

    [Fact]
    public async Task OverlayWhiteoutsBecomeCharacterDevicesAndOpaqueXattrs()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Require.Fail("overlay whiteouts need root");
        }

        using var sandbox = new Sandbox();

        await sandbox.ExtractAsync(new CraftedLayer().File(".wh.gone", "").File("dir/.wh..wh..opq", "").File("dir/new"), new LayerExtractOptions { Whiteouts = WhiteoutHandling.Overlay });

        var whiteout = UnixFiles.LStat(sandbox.InRoot("gone"));
        Assert.Equal((UnixFileStatus.CharDevice, 0, 0), (whiteout.Type, whiteout.RdevMajor, whiteout.RdevMinor));
        Assert.Equal("y"u8.ToArray(), UnixFiles.TryLGetXattr(sandbox.InRoot("dir"), "trusted.overlay.opaque"));
        Assert.True(File.Exists(sandbox.InRoot("dir/new")));
    }

    [Fact]
    public async Task DeviceNodesAreCreatedAsRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Require.Fail("device nodes need root");
        }

        using var sandbox = new Sandbox();

        await sandbox.ExtractAsync(new CraftedLayer().Device("dev/null", 1, 3), new LayerExtractOptions { AsRoot = true });

        var stat = UnixFiles.LStat(sandbox.InRoot("dev/null"));
        Assert.Equal((UnixFileStatus.CharDevice, 1, 3), (stat.Type, stat.RdevMajor, stat.RdevMinor));
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    [InlineData(LayerCompression.None)]
    public async Task WriteThenExtractKeepsModesOwnersTimesAndLinks(LayerCompression compression)
    {
        using var sandbox = new Sandbox();
        // Names are not kept on disk, and "bin" is given so the tree has no implicitly made parent.
        LayerEntry[] entries = [.. SampleLayers.Mixed().Select(e => e with { UserName = "", GroupName = "" }), LayerEntry.Directory("bin") with { ModificationTime = SampleLayers.Mtime }];
        using var blob = new MemoryStream();
        await LayerWriter.WriteAsync(entries, blob, new LayerWriteOptions { Compression = compression }, TestContext.Current.CancellationToken);
        blob.Position = 0;

        var result = await LayerExtractor.ExtractAsync(blob, sandbox.Root, new LayerExtractOptions(), TestContext.Current.CancellationToken);

        Assert.Equal(Digest.Compute(await SampleLayers.TarBytesAsync(entries)), result.DiffId);
        Assert.Equal(entries.Length, result.EntryCount);
        Assert.Equal("data/blob.bin", new FileInfo(sandbox.InRoot("app/current")).LinkTarget);
        Assert.Equal("/etc/hostname", new FileInfo(sandbox.InRoot("app/etc-link")).LinkTarget);
        Assert.Equal(UnixFiles.LStat(sandbox.InRoot("app/run.sh")).Inode, UnixFiles.LStat(sandbox.InRoot("app/run-again.sh")).Inode);
        Assert.Equal(SampleLayers.Mtime, UnixFiles.LStat(sandbox.InRoot("app")).ModificationTime);
        Assert.Equal(SampleLayers.Mtime, UnixFiles.LStat(sandbox.InRoot("app/etc-link")).ModificationTime);
        Assert.Equal(0b001_111_111_111, UnixFiles.LStat(sandbox.InRoot("tmp")).Permissions);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal(0b100_111_101_101, UnixFiles.LStat(sandbox.InRoot("bin/su")).Permissions);
            Assert.Equal((1000, 1001), (UnixFiles.LStat(sandbox.InRoot("app/data")).Uid, UnixFiles.LStat(sandbox.InRoot("app/data")).Gid));

            // Scanning the extracted tree gives back the very same tar: nothing was lost on the way.
            var rescanned = DirectoryLayerSource.Scan(sandbox.Root);
            Assert.Equal(await SampleLayers.TarBytesAsync(entries), await SampleLayers.TarBytesAsync(rescanned));
        }
    }

    [Fact]
    public async Task ATarMadeByGnuTarExtractsToTheSameTree()
    {
        var tarTool = Require.Executable("tar", "tar");
        using var sandbox = new Sandbox();
        using var source = new TempDirectory("dockerbuild-layers-");
        Directory.CreateDirectory(source.Combine("etc", "conf.d"));
        await File.WriteAllTextAsync(source.Combine("etc", "conf.d", "a.conf"), "a=1", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(source.Combine("etc", "conf.d", "a.conf"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(source.Combine("etc", "link"), "conf.d/a.conf");
        UnixFiles.Link(source.Combine("etc", "conf.d", "a.conf"), source.Combine("etc", "hard"));
        var tar = source.Combine("..", Path.GetFileName(source.Path) + ".tar.gz");
        var (exit, _, stderr) = await ExternalTool.RunAsync(tarTool, ["--format=pax", "-czf", tar, "-C", source.Path, "."]);
        Assert.True(exit == 0, stderr);

        LayerExtractResult result;
        string expectedDiffId;
        try
        {
            expectedDiffId = await ExternalTool.Sha256OfOutputAsync(Require.Executable("gzip", "gzip"), "-dc", tar);
            await using var layer = File.OpenRead(tar);
            result = await LayerExtractor.ExtractAsync(layer, sandbox.Root, new LayerExtractOptions(), TestContext.Current.CancellationToken);
        }
        finally
        {
            File.Delete(tar);
        }

        // GNU tar pads to 10 KiB records after the end marker; the diffID covers that too.
        Assert.Equal(expectedDiffId, result.DiffId.ToString());

        Assert.Equal("a=1", await File.ReadAllTextAsync(sandbox.InRoot("etc/conf.d/a.conf"), TestContext.Current.CancellationToken));
        Assert.Equal(0b110_000_000, UnixFiles.LStat(sandbox.InRoot("etc/conf.d/a.conf")).Permissions);
        Assert.Equal("conf.d/a.conf", new FileInfo(sandbox.InRoot("etc/link")).LinkTarget);
        Assert.Equal(UnixFiles.LStat(sandbox.InRoot("etc/conf.d/a.conf")).Inode, UnixFiles.LStat(sandbox.InRoot("etc/hard")).Inode);
    }

    [Fact]
    public async Task ExtractionStreamsALayerBiggerThanItsBuffers()
    {
        using var sandbox = new Sandbox();
        var content = new byte[20 * 1024 * 1024];
        new Random(3).NextBytes(content);
        using var blob = new MemoryStream();
        await LayerWriter.WriteAsync([LayerEntry.File("big", content)], blob, new LayerWriteOptions(), TestContext.Current.CancellationToken);
        blob.Position = 0;

        await LayerExtractor.ExtractAsync(blob, sandbox.Root, new LayerExtractOptions(), TestContext.Current.CancellationToken);

        Assert.Equal(content, await File.ReadAllBytesAsync(sandbox.InRoot("big"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AGzipLayerEndingAtAHeaderWithoutTheEndMarkerIsComplete()
    {
        // umoci writes such layers; Go's archive/tar (BuildKit, containerd) ends the archive at a clean
        // EOF where a header would start. Gzip makes the stream unseekable, as a blob from a store is.
        using var sandbox = new Sandbox();
        var tar = new CraftedLayer().Directory("etc").File("etc/hostname", "box").ToStream().ToArray();
        var unterminated = tar[..^1024];
        Assert.All(tar[^1024..], b => Assert.Equal(0, b));

        var result = await LayerExtractor.ExtractAsync(new MemoryStream(Gzip(unterminated)), sandbox.Root, new LayerExtractOptions(), TestContext.Current.CancellationToken);

        Assert.Equal("box", await File.ReadAllTextAsync(sandbox.InRoot("etc/hostname"), TestContext.Current.CancellationToken));
        Assert.Equal(Digest.Compute(unterminated), result.DiffId);

        // Cut inside a block it is truncated, not complete.
        await Assert.ThrowsAnyAsync<Exception>(() => LayerExtractor.ExtractAsync(
            new MemoryStream(Gzip(unterminated[..^100])), sandbox.Root + "-cut", new LayerExtractOptions(), TestContext.Current.CancellationToken));
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }
}
