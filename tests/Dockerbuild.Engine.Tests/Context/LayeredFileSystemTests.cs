using Dockerbuild.Oci.Unix;
using System.Runtime.Versioning;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Context;

/// <summary>A stack of extracted layer directories read as overlayfs would merge them.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class LayeredFileSystemTests
{
    [Fact]
    public void UpperLayersWinAndWhiteoutsAndOpaqueDirectoriesHideLowerContent()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Skip("overlay whiteouts (0/0 character devices) and trusted.* xattrs need root");
        }

        using var temp = new TempDirectory();
        var lower = temp.Combine("lower");
        var upper = temp.Combine("upper");
        Write(lower, "etc/passwd", "lower");
        Write(lower, "etc/gone", "x");
        Write(lower, "opaque/old", "x");
        Write(lower, "keep/low", "x");
        Write(upper, "etc/passwd", "upper");
        Write(upper, "opaque/new", "x");
        Write(upper, "keep/up", "x");
        UnixFiles.MkNod(Path.Combine(upper, "etc/gone"), 0x2000, 0, 0);
        UnixFiles.LSetXattr(Path.Combine(upper, "opaque"), "trusted.overlay.opaque", "y"u8.ToArray());

        var fs = new LayeredFileSystem([upper, lower]);

        Assert.Equal(5, fs.Stat("etc/passwd")!.Size);
        Assert.Null(fs.Stat("etc/gone"));
        Assert.Null(fs.Stat("opaque/old"));
        Assert.Equal(["new"], fs.List("opaque").Select(e => e.Name));
        Assert.Equal(["low", "up"], fs.List("keep").Select(e => e.Name));
        Assert.Equal(["passwd"], fs.List("etc").Select(e => e.Name));
        Assert.Equal(LayerEntryType.Directory, fs.Stat("keep")!.Type);
    }

    [Fact]
    public void AFileInAnUpperLayerHidesALowerDirectory()
    {
        using var temp = new TempDirectory();
        var lower = temp.Combine("lower");
        var upper = temp.Combine("upper");
        Write(lower, "thing/inside", "x");
        Write(upper, "thing", "now a file");
        var fs = new LayeredFileSystem([upper, lower]);
        Assert.Equal(LayerEntryType.RegularFile, fs.Stat("thing")!.Type);
        Assert.Null(fs.Stat("thing/inside"));
    }

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
