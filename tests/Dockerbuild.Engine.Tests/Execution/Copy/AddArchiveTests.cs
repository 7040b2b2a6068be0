using System.Diagnostics;
using System.Runtime.Versioning;
using Dockerbuild.Engine.Execution.Copy;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution.Copy;

/// <summary>
/// ADD unpacks local tar archives into the destination (reference: "If src is a local tar archive in
/// a recognized compression format (identity, gzip, bzip2 or xz) then it is unpacked as a directory";
/// BuildKit also detects zstd). Archives are made with the real tar and compressors.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class AddArchiveTests
{
    [Theory]
    [InlineData("plain", null, null)]
    [InlineData("gzip", "gzip", "gzip")]
    [InlineData("bzip2", "bzip2", "bzip2")]
    [InlineData("xz", "xz", "xz-utils")]
    [InlineData("zstd", "zstd", "zstd")]
    public async Task LocalArchivesAreUnpackedIntoTheDestination(string name, string? compressor, string? package)
    {
        Require.Executable("tar", "tar");
        using var tree = new CopyTree();
        var archive = await MakeArchiveAsync(tree, compressor, package);

        var entries = await tree.CopyAsync([Path.GetFileName(archive)], "/opt/unpacked", r => r with { IsAdd = true });

        Assert.Equal("alpha", tree.LastContents["opt/unpacked/pkg/alpha.txt"]);
        Assert.Equal(0b111_101_000, entries["opt/unpacked/pkg/bin/tool"].Mode);
        Assert.Equal((LayerEntryType.SymbolicLink, "../alpha.txt"), (entries["opt/unpacked/pkg/bin/link"].Type, entries["opt/unpacked/pkg/bin/link"].LinkTarget));
        Assert.Equal((1234, 4321), (entries["opt/unpacked/pkg/alpha.txt"].Uid, entries["opt/unpacked/pkg/alpha.txt"].Gid)); // owners from the headers
        Assert.DoesNotContain(entries.Keys, k => k.EndsWith(name, StringComparison.Ordinal) || k.Contains(".tar", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChownAppliesToUnpackedMembers()
    {
        Require.Executable("tar", "tar");
        using var tree = new CopyTree();
        var archive = await MakeArchiveAsync(tree, "gzip", "gzip");
        var entries = await tree.CopyAsync([Path.GetFileName(archive)], "/x/", r => r with { IsAdd = true, Chown = "7:8" });
        Assert.Equal((7, 8), (entries["x/pkg/alpha.txt"].Uid, entries["x/pkg/alpha.txt"].Gid));
    }

    [Fact]
    public async Task CopyAndAddWithUnpackFalseKeepTheArchiveAsAFile()
    {
        Require.Executable("tar", "tar");
        using var tree = new CopyTree();
        var archive = Path.GetFileName(await MakeArchiveAsync(tree, "gzip", "gzip"));
        var copied = await tree.CopyAsync([archive], "/x/");
        Assert.Equal(LayerEntryType.RegularFile, copied["x/" + archive].Type);
        var added = await tree.CopyAsync([archive], "/x/", r => r with { IsAdd = true, Unpack = false });
        Assert.Equal(LayerEntryType.RegularFile, added["x/" + archive].Type);
    }

    [Fact]
    public async Task CompressedFilesThatAreNotTarsAreCopiedAsIs()
    {
        var gzip = Require.Executable("gzip", "gzip");
        using var tree = new CopyTree();
        tree.Write("notes.txt", "just text");
        await RunAsync(gzip, ["-k", "notes.txt"], tree.ContextDir);
        var entries = await tree.CopyAsync(["notes.txt.gz", "notes.txt"], "/d/", r => r with { IsAdd = true });
        Assert.Equal(LayerEntryType.RegularFile, entries["d/notes.txt.gz"].Type);
        Assert.Equal("just text", tree.LastContents["d/notes.txt"]);
    }

    private static async Task<string> MakeArchiveAsync(CopyTree tree, string? compressor, string? package)
    {
        var source = tree.Combine("archive-src");
        CopyTree.WriteUnder(source, "pkg/alpha.txt", "alpha");
        CopyTree.WriteUnder(source, "pkg/bin/tool", "#!/bin/sh\n", 0b111_101_000);
        File.CreateSymbolicLink(Path.Combine(source, "pkg/bin/link"), "../alpha.txt");
        var tar = Path.Combine(tree.ContextDir, "bundle.tar");
        await RunAsync("tar", ["--owner=1234", "--group=4321", "--numeric-owner", "-cf", tar, "pkg"], source);
        if (compressor is null)
        {
            return tar;
        }

        var tool = Require.Executable(compressor, package!);
        await RunAsync(tool, compressor == "zstd" ? ["-q", "--rm", tar] : [tar], tree.ContextDir);
        return Directory.GetFiles(tree.ContextDir, "bundle.tar*").Single();
    }

    private static async Task RunAsync(string tool, string[] arguments, string directory)
    {
        var info = new ProcessStartInfo(tool, arguments) { WorkingDirectory = directory, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"{tool} failed: {error}");
    }
}
