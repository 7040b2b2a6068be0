using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Oci.Tests.Layers;

/// <summary>Crafted malicious layers: each is refused or neutralized, and nothing outside the root changes.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LayerExtractorSecurityTests
{
    [Theory]
    [InlineData("../outside/pwned")]
    [InlineData("../../etc/x")]
    [InlineData("a/../../outside/pwned")]
    [InlineData("./../x")]
    public async Task DotDotEscapesAreRefused(string name)
    {
        using var sandbox = new Sandbox();

        var error = await Assert.ThrowsAsync<UnsafeLayerException>(() => sandbox.ExtractAsync(new CraftedLayer().File(name)));

        Assert.Equal(name, error.EntryName);
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task DotDotThatStaysInsideIsCleaned()
    {
        using var sandbox = new Sandbox();

        await sandbox.ExtractAsync(new CraftedLayer().File("a/../b"));

        Assert.True(File.Exists(sandbox.InRoot("b")));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task AbsolutePathsLandInsideTheRoot()
    {
        using var sandbox = new Sandbox();
        var name = $"/tmp/dockerbuild-abs-{Guid.NewGuid():N}";

        await sandbox.ExtractAsync(new CraftedLayer().File(name));

        Assert.True(File.Exists(sandbox.InRoot(name.TrimStart('/'))));
        Assert.False(File.Exists(name));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task WritingThroughASymlinkToSlashStaysInsideTheRoot()
    {
        using var sandbox = new Sandbox();
        var file = $"etc/passwd-{Guid.NewGuid():N}";

        await sandbox.ExtractAsync(new CraftedLayer().Symlink("a", "/").File("a/" + file));

        Assert.Equal("/", new FileInfo(sandbox.InRoot("a")).LinkTarget);
        Assert.True(File.Exists(sandbox.InRoot(file)));
        Assert.False(File.Exists("/" + file));
        sandbox.AssertOutsideUntouched();
    }

    [Theory]
    [InlineData("../../..")]
    [InlineData("../outside")]
    [InlineData("../../../../../../..")]
    public async Task WritingThroughARelativeSymlinkOutStaysInsideTheRoot(string target)
    {
        using var sandbox = new Sandbox();

        await sandbox.ExtractAsync(new CraftedLayer().Symlink("a", target).File("a/pwned").File("a/secret", "overwritten"));

        Assert.Equal("sentinel", await File.ReadAllTextAsync(sandbox.Secret, TestContext.Current.CancellationToken));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task WritingThroughASymlinkToTheOutsideAbsolutePathStaysInsideTheRoot()
    {
        using var sandbox = new Sandbox();

        await sandbox.ExtractAsync(new CraftedLayer().Symlink("a", sandbox.Outside).File("a/secret", "overwritten"));

        Assert.True(File.Exists(sandbox.InRoot(sandbox.Outside.TrimStart('/') + "/secret")));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task ChainedSymlinkedParentsAreResolvedInsideTheRoot()
    {
        using var sandbox = new Sandbox();
        var layer = new CraftedLayer()
            .Symlink("first", "../outside")
            .Symlink("second", "first")
            .Directory("dir")
            .Symlink("dir/third", "../second")
            .Symlink("fourth", "dir/third/../../..")
            .File("dir/third/secret", "overwritten")
            .File("fourth/outside/secret", "overwritten")
            .File("second/deeper/pwned");

        await sandbox.ExtractAsync(layer);

        Assert.Equal("overwritten", await File.ReadAllTextAsync(sandbox.InRoot("outside/secret"), TestContext.Current.CancellationToken));
        Assert.True(File.Exists(sandbox.InRoot("outside/deeper/pwned")));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task AFileReplacesASymlinkInsteadOfWritingThroughIt()
    {
        using var sandbox = new Sandbox();

        await sandbox.ExtractAsync(new CraftedLayer().Symlink("f", sandbox.Secret).File("f", "overwritten"));

        Assert.Null(new FileInfo(sandbox.InRoot("f")).LinkTarget);
        Assert.Equal("overwritten", await File.ReadAllTextAsync(sandbox.InRoot("f"), TestContext.Current.CancellationToken));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task AFileReplacesARelativeSymlinkOutOfALowerLayer()
    {
        using var sandbox = new Sandbox();
        await sandbox.ExtractAsync(new CraftedLayer().Symlink("f", "../outside/secret"));

        await sandbox.ExtractAsync(new CraftedLayer().File("f", "overwritten"));

        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task HardlinkClimbingOutIsRefused()
    {
        using var sandbox = new Sandbox();

        await Assert.ThrowsAsync<UnsafeLayerException>(() => sandbox.ExtractAsync(new CraftedLayer().HardLink("h", "../outside/secret")));

        Assert.False(File.Exists(sandbox.InRoot("h")));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task HardlinkToAnAbsolutePathOutsideIsRefused()
    {
        using var sandbox = new Sandbox();

        await Assert.ThrowsAsync<UnsafeLayerException>(() => sandbox.ExtractAsync(new CraftedLayer().HardLink("h", sandbox.Secret)));

        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task HardlinkThroughASymlinkedParentOutsideIsRefused()
    {
        using var sandbox = new Sandbox();

        await Assert.ThrowsAsync<UnsafeLayerException>(() => sandbox.ExtractAsync(new CraftedLayer().Symlink("s", sandbox.Outside).HardLink("h", "s/secret")));
        await Assert.ThrowsAsync<UnsafeLayerException>(() => sandbox.ExtractAsync(new CraftedLayer().Symlink("r", "../outside").HardLink("h2", "r/secret")));

        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task HardlinkToASymlinkPointingOutLinksTheSymlinkNotItsTarget()
    {
        using var sandbox = new Sandbox();

        await sandbox.ExtractAsync(new CraftedLayer().Symlink("s", sandbox.Secret).HardLink("h", "s"));

        Assert.Equal(sandbox.Secret, new FileInfo(sandbox.InRoot("h")).LinkTarget);
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task DeviceNodesAreSkippedWithAWarningWhenNotRoot()
    {
        using var sandbox = new Sandbox();

        var result = await sandbox.ExtractAsync(new CraftedLayer().Device("dev/null", 1, 3).Device("dev/sda", 8, 0), new LayerExtractOptions { AsRoot = false });

        Assert.False(Path.Exists(sandbox.InRoot("dev/null")));
        Assert.False(Path.Exists(sandbox.InRoot("dev/sda")));
        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains("dev/null", result.Warnings[0], StringComparison.Ordinal);
        sandbox.AssertOutsideUntouched();
    }

    [Theory]
    [InlineData(".wh..")]
    [InlineData(".wh...")]
    [InlineData("dir/.wh...")]
    public async Task WhiteoutsOfDotOrDotDotAreRefused(string name)
    {
        using var sandbox = new Sandbox();
        await sandbox.ExtractAsync(new CraftedLayer().File("dir/keep"));

        await Assert.ThrowsAsync<UnsafeLayerException>(() => sandbox.ExtractAsync(new CraftedLayer().File(name, "")));

        Assert.True(File.Exists(sandbox.InRoot("dir/keep")));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task WhiteoutsThroughASymlinkOutDeleteNothingOutside()
    {
        using var sandbox = new Sandbox();

        await sandbox.ExtractAsync(new CraftedLayer().Symlink("s", "../outside").Symlink("t", sandbox.Outside).File("s/.wh.secret", "").File("t/.wh..wh..opq", ""));

        Assert.True(File.Exists(sandbox.Secret));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task DirectoryModesSetLastAreNotAppliedThroughALaterSymlink()
    {
        using var sandbox = new Sandbox();
        var layer = new CraftedLayer()
            .Directory("d", UnixFileMode.UserRead)
            .Directory("p/outside", UnixFileMode.UserRead)
            .Symlink("d", sandbox.Outside)
            .Symlink("p", "../outside");

        await sandbox.ExtractAsync(layer);

        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task DeletingALowerTreeUnlinksItsSymlinksWithoutFollowingThem()
    {
        using var sandbox = new Sandbox();
        await sandbox.ExtractAsync(new CraftedLayer().Symlink("tree/out", sandbox.Outside).Symlink("opaque/out", "../../outside").File("opaque/x"));

        await sandbox.ExtractAsync(new CraftedLayer().File(".wh.tree", "").File("opaque/.wh..wh..opq", ""));

        Assert.False(Path.Exists(sandbox.InRoot("tree")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(sandbox.InRoot("opaque")));
        sandbox.AssertOutsideUntouched();
    }

    [Fact]
    public async Task SetuidBitsAreDroppedWhenNotRoot()
    {
        using var sandbox = new Sandbox();
        var setuid = UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.UserRead | UnixFileMode.UserExecute;

        await sandbox.ExtractAsync(new CraftedLayer().File("su", mode: setuid), new LayerExtractOptions { AsRoot = false });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserExecute, File.GetUnixFileMode(sandbox.InRoot("su")));
    }
}
