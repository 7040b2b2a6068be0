using System.Runtime.Versioning;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Execution.Copy;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Context;

/// <summary>The hash cache lets a warm rebuild skip reading unchanged files (issue 4, Cache).</summary>
[UnsupportedOSPlatform("windows")]
public sealed class ContentHasherTests
{
    private static readonly DateTime Settled = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public async Task WarmRunReadsNoUnchangedFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var context = temp.Combine("context");
        for (var i = 0; i < 20; i++)
        {
            Directory.CreateDirectory(Path.Combine(context, "d" + (i % 4)));
            await File.WriteAllTextAsync(Path.Combine(context, "d" + (i % 4), $"f{i}.txt"), $"content {i}", ct);
            File.SetLastWriteTimeUtc(Path.Combine(context, "d" + (i % 4), $"f{i}.txt"), Settled);
        }

        var fs = new DirectoryFileSystem(context, ownedByRoot: true);
        var cold = new ContentHasher(await FileHashCache.OpenAsync(temp.Combine("cache"), ct));
        var coldDigest = await cold.HashTreeAsync(fs, "", ct);
        await cold.SaveAsync(ct);
        Assert.Equal(20, cold.FilesRead);

        // A new process: the cache comes back from disk.
        var warm = new ContentHasher(await FileHashCache.OpenAsync(temp.Combine("cache"), ct));
        Assert.Equal(coldDigest, await warm.HashTreeAsync(fs, "", ct));
        Assert.Equal(0, warm.FilesRead);
    }

    [Fact]
    public async Task FileWithUnchangedMetadataIsNotReadAgain()
    {
        // Rewriting a file with the same size and putting its mtime back leaves every key field as it
        // was, so the cached digest is used: it proves the content is not read.
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var file = temp.Combine("ctx", "f.txt");
        Directory.CreateDirectory(temp.Combine("ctx"));
        await File.WriteAllTextAsync(file, "aaaa", ct);
        var mtime = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file, mtime);
        var fs = new DirectoryFileSystem(temp.Combine("ctx"));
        var hasher = new ContentHasher(await FileHashCache.OpenAsync(temp.Combine("cache"), ct));
        var first = await hasher.HashFileAsync(fs, fs.Stat("f.txt")!, ct);

        await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            await stream.WriteAsync("bbbb"u8.ToArray(), ct);
        }

        File.SetLastWriteTimeUtc(file, mtime);
        Assert.Equal(first, await hasher.HashFileAsync(fs, fs.Stat("f.txt")!, ct));
        Assert.Equal(1, hasher.FilesRead);

        File.SetLastWriteTimeUtc(file, mtime.AddSeconds(1));
        Assert.NotEqual(first, await hasher.HashFileAsync(fs, fs.Stat("f.txt")!, ct));
        Assert.Equal(2, hasher.FilesRead);
    }

    [Fact]
    public async Task AFileJustWrittenIsNotRemembered()
    {
        // Its mtime could stay the same through another write within the timestamp granularity.
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("ctx"));
        await File.WriteAllTextAsync(temp.Combine("ctx", "fresh"), "now", ct);
        var fs = new DirectoryFileSystem(temp.Combine("ctx"));
        var hasher = new ContentHasher(await FileHashCache.OpenAsync(temp.Combine("cache"), ct));
        await hasher.HashFileAsync(fs, fs.Stat("fresh")!, ct);
        await hasher.HashFileAsync(fs, fs.Stat("fresh")!, ct);
        Assert.Equal(2, hasher.FilesRead);
        Assert.Equal(0, hasher.Cache!.Count);
    }

    [Fact]
    public async Task TwoBuildsSavingTheCacheKeepEachOthersEntries()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var first = await FileHashCache.OpenAsync(temp.Combine("cache"), ct);
        var second = await FileHashCache.OpenAsync(temp.Combine("cache"), ct);
        var a = new SourceEntry("a", Oci.Layers.LayerEntryType.RegularFile, 0b110_100_100, 0, 0, 1, 1, null) { HostPath = "/ctx/a", Inode = 1 };
        var b = a with { Path = "b", HostPath = "/ctx/b", Inode = 2 };
        first.Set(a, "sha256:aa");
        second.Set(b, "sha256:bb");
        await first.SaveAsync(ct);
        await second.SaveAsync(ct);

        var reopened = await FileHashCache.OpenAsync(temp.Combine("cache"), ct);
        Assert.Equal("sha256:aa", reopened.TryGet(a));
        Assert.Equal("sha256:bb", reopened.TryGet(b));
        Assert.Null(reopened.TryGet(a with { ModificationTimeNanoseconds = 2 }));
    }

    [Fact]
    public async Task WarmCopyPlanReadsNoContent()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDirectory();
        var context = temp.Combine("context");
        Directory.CreateDirectory(Path.Combine(context, "src"));
        for (var i = 0; i < 10; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(context, "src", $"f{i}"), new string('x', i * 100), ct);
            File.SetLastWriteTimeUtc(Path.Combine(context, "src", $"f{i}"), Settled);
        }

        var build = await BuildContext.FromDirectoryAsync(context, null, ct);
        var request = new CopyRequest { Sources = ["src"], Destination = "/app/", Source = build.FileSystem, CreatedTime = DateTimeOffset.UnixEpoch };
        var coldHasher = new ContentHasher(await FileHashCache.OpenAsync(temp.Combine("cache"), ct));
        await using var cold = await new CopyPlanner(coldHasher, null, temp.Combine("scratch")).PlanAsync(request, ct);
        await coldHasher.SaveAsync(ct);

        var warmHasher = new ContentHasher(await FileHashCache.OpenAsync(temp.Combine("cache"), ct));
        await using var warm = await new CopyPlanner(warmHasher, null, temp.Combine("scratch")).PlanAsync(request, ct);
        Assert.Equal(10, coldHasher.FilesRead);
        Assert.Equal(0, warmHasher.FilesRead);
        Assert.Equal(cold.InputDigest, warm.InputDigest);

        await File.WriteAllTextAsync(Path.Combine(context, "src", "f3"), "changed", ct);
        File.SetLastWriteTimeUtc(Path.Combine(context, "src", "f3"), Settled.AddHours(1));
        await using var changed = await new CopyPlanner(warmHasher, null, temp.Combine("scratch")).PlanAsync(request, ct);
        Assert.Equal(1, warmHasher.FilesRead);
        Assert.NotEqual(cold.InputDigest, changed.InputDigest);
    }
}
