using Dockerbuild.Testing.Registry;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>Local image management through the executable: dangling images, prune, all-tags transfers.</summary>
public sealed class LocalStoreTests
{
    [Fact]
    public async Task PruneRemovesDanglingImagesAndReclaimsTheirBlobs()
    {
        using var cli = new DockerbuildProcess();
        var first = (await cli.RunAsync("import", await RootfsTarball.WriteAsync(cli.Home, "one"), "app:1")).Succeeded().Out.Trim();
        var second = (await cli.RunAsync("import", await RootfsTarball.WriteAsync(cli.Home, "two"), "app:1")).Succeeded().Out.Trim();
        var blobs = Path.Combine(cli.Root, "blobs", "sha256");
        var before = Directory.GetFiles(blobs).Length;

        // Re-using the tag left the first image dangling.
        var images = (await cli.RunAsync("images")).Succeeded();
        Assert.Contains(images.Lines, l => l.StartsWith("<none>", StringComparison.Ordinal) && l.Contains(first[7..19], StringComparison.Ordinal));
        Assert.Equal([first[7..19]], (await cli.RunAsync("images", "--filter", "dangling=true", "-q")).Succeeded().Lines);
        Assert.Equal([second[7..19]], (await cli.RunAsync("images", "--filter", "dangling=false", "-q")).Succeeded().Lines);

        var prune = (await cli.RunAsync("image", "prune", "-f")).Succeeded();
        Assert.Equal("Deleted Images:", prune.Lines[0]);
        Assert.Contains($"deleted: {first}", prune.Lines);
        Assert.StartsWith("Total reclaimed space: ", prune.Lines[^1]);
        Assert.NotEqual("Total reclaimed space: 0B", prune.Lines[^1]);
        Assert.Equal(before - 3, Directory.GetFiles(blobs).Length);
        Assert.Equal([second[7..19]], (await cli.RunAsync("images", "-q")).Succeeded().Lines);

        // Nothing left to prune without -a; with -a everything goes.
        Assert.Equal(["Total reclaimed space: 0B"], (await cli.RunAsync("image", "prune", "-f")).Succeeded().Lines);
        var all = (await cli.RunAsync("image", "prune", "-a", "-f")).Succeeded();
        Assert.Contains("untagged: app:1", all.Lines);
        Assert.Empty(Directory.GetFiles(blobs));
    }

    [Fact]
    public async Task PushAndPullAllTagsOfARepository()
    {
        await using var registry = await RegistryServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var cli = new DockerbuildProcess();
        var repository = $"{registry.Host}/all/tags";
        (await cli.RunAsync("import", await RootfsTarball.WriteAsync(cli.Home, "a"), repository + ":a")).Succeeded();
        (await cli.RunAsync("import", await RootfsTarball.WriteAsync(cli.Home, "b"), repository + ":b")).Succeeded();
        Assert.Contains("tag can't be used with --all-tags/-a", (await cli.RunAsync("push", "-a", repository + ":a")).Err);

        var push = (await cli.RunAsync("push", "--all-tags", repository)).Succeeded();
        Assert.Equal(2, push.Lines.Count(l => l.Contains(": digest: sha256:", StringComparison.Ordinal)));
        Assert.Equal([repository], (await cli.RunAsync("push", "-q", "-a", repository)).Succeeded().Lines);

        cli.Root = Path.Combine(cli.Home, "other-store");
        var pull = (await cli.RunAsync("pull", "-a", repository)).Succeeded();
        Assert.Contains($"a: Pulling from all/tags", pull.Lines);
        Assert.Contains($"b: Pulling from all/tags", pull.Lines);
        Assert.Equal(repository, pull.Lines[^1]);
        var tags = (await cli.RunAsync("images", repository)).Succeeded().Lines.Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(["a", "b"], tags.Order());

        // -q prints only the reference.
        Assert.Equal([repository + ":a"], (await cli.RunAsync("pull", "-q", repository + ":a")).Succeeded().Lines);
    }
}
