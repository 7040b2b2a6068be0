using System.Diagnostics;
using System.Runtime.Versioning;
using Dockerbuild.Engine.Context;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Context;

[UnsupportedOSPlatform("windows")]
public sealed class BuildContextTests
{
    [Fact]
    public async Task TarContextIsExtractedAndFilteredByItsDockerignore()
    {
        var tar = Require.Executable("tar", "tar");
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var source = temp.Combine("src");
        Directory.CreateDirectory(Path.Combine(source, "app"));
        await File.WriteAllTextAsync(Path.Combine(source, ".dockerignore"), "*.tmp\n", ct);
        await File.WriteAllTextAsync(Path.Combine(source, "app", "main.c"), "int main;", ct);
        await File.WriteAllTextAsync(Path.Combine(source, "junk.tmp"), "x", ct);
        var archive = temp.Combine("context.tar.gz");
        using (var process = Process.Start(new ProcessStartInfo(tar, ["-czf", archive, "-C", source, "."]))!)
        {
            await process.WaitForExitAsync(ct);
            Assert.Equal(0, process.ExitCode);
        }

        await using var stream = File.OpenRead(archive);
        var context = await BuildContext.FromTarAsync(stream, temp.Combine("extracted"), null, ct);

        Assert.NotNull(context.FileSystem.Stat("app/main.c"));
        Assert.Null(context.FileSystem.Stat("junk.tmp"));
        Assert.Equal((0, 0), (context.FileSystem.Stat("app/main.c")!.Uid, context.FileSystem.Stat("app/main.c")!.Gid));
        Assert.Equal(["app"], context.FileSystem.List("").Where(e => e.Name != ".dockerignore").Select(e => e.Name));
    }

    [Fact]
    public async Task WalkerYieldsParentsBeforeChildrenInNameOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        foreach (var file in new[] { "b/2", "a/z", "a/y/1", "c" })
        {
            var path = Path.Combine(temp.Path, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file, ct);
        }

        var walked = FileTreeWalker.Walk(new DirectoryFileSystem(temp.Path), "", ct).Select(e => e.Path).ToList();
        Assert.Equal(["", "a", "a/y", "a/y/1", "a/z", "b", "b/2", "c"], walked);
    }
}
