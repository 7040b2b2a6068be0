namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// <c>builder prune</c> and <c>system prune</c> through the executable: what they reclaim, that the next
/// build still works (rebuilding), and that a prune never breaks a build in flight.
/// </summary>
public sealed class PruneTests
{
    private const string Dockerfile = BusyboxContext.Base
        + "RUN --mount=type=cache,target=/cache echo kept > /cache/file && dd if=/dev/zero of=/big bs=1024 count=2048\n"
        + "RUN echo second > /second\n";

    [Fact]
    public async Task PruneAllReclaimsTheCacheAndTheNextBuildRebuilds()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, Dockerfile);
        (await cli.RunAsync("build", "-q", "-t", "app:1", context)).Succeeded();
        (await cli.RunAsync("build", "-q", context)).Succeeded();
        Assert.NotEmpty(Directory.EnumerateDirectories(Path.Combine(cli.Root, "layers")));

        var prune = (await cli.RunAsync("builder", "prune", "-a", "-f")).Succeeded();

        Assert.Equal("Deleted build cache objects:", prune.Lines[0]);
        Assert.StartsWith("Total reclaimed space: ", prune.Lines[^1], StringComparison.Ordinal);
        Assert.NotEqual("Total reclaimed space: 0B", prune.Lines[^1]);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(cli.Root, "layers")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(cli.Root, "cache", "steps")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(cli.Root, "cache", "mounts")));

        // The image itself stays whole; the next build runs every step again.
        Assert.Equal(["second"], (await cli.RunAsync("run", "app:1", "/bin/busybox", "cat", "/second")).Succeeded().Lines);
        var rebuild = (await cli.RunAsync("build", "--progress=plain", "-t", "app:1", context)).Succeeded();
        Assert.DoesNotContain("CACHED", rebuild.Err, StringComparison.Ordinal);
        Assert.Equal(["2097152"], (await cli.RunAsync("run", "app:1", "/bin/busybox", "stat", "-c", "%s", "/big")).Succeeded().Lines);
    }

    [Fact]
    public async Task WithoutAllTheCacheOfTaggedImagesStaysAndFiltersLimitWhatGoes()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, Dockerfile);
        (await cli.RunAsync("build", "-q", "-t", "app:1", context)).Succeeded();

        // Everything was used just now: an age filter or a generous budget keeps it all.
        Assert.Equal(["Total reclaimed space: 0B"], (await cli.RunAsync("builder", "prune", "-a", "-f", "--filter", "until=1h")).Succeeded().Lines);
        Assert.Equal(["Total reclaimed space: 0B"], (await cli.RunAsync("builder", "prune", "-a", "-f", "--keep-storage", "1gb")).Succeeded().Lines);
        Assert.Contains("invalid filter", (await cli.RunAsync("builder", "prune", "-f", "--filter", "label=x")).Err, StringComparison.Ordinal);

        // Dangling only: the cache mount goes, the steps of the tagged image stay cached.
        var prune = (await cli.RunAsync("builder", "prune", "-f")).Succeeded();
        Assert.Equal("Deleted build cache objects:", prune.Lines[0]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(cli.Root, "cache", "mounts")));
        var rebuild = (await cli.RunAsync("build", "--progress=plain", context)).Succeeded();
        Assert.Contains("CACHED", rebuild.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SystemPruneRemovesDanglingImagesAndTheBuildCache()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, Dockerfile);
        (await cli.RunAsync("build", "-q", "-t", "app:1", context)).Succeeded();
        await File.AppendAllTextAsync(Path.Combine(context, "Dockerfile"), "RUN echo third > /third\n", TestContext.Current.CancellationToken);
        var first = (await cli.RunAsync("images", "-q", "--no-trunc")).Succeeded().Out.Trim();
        (await cli.RunAsync("build", "-q", "-t", "app:1", context)).Succeeded();

        // Answering no keeps everything.
        var declined = (await cli.RunAsync("n\n"u8.ToArray(), "system", "prune")).Succeeded();
        Assert.Contains("  - all dangling images", declined.Out, StringComparison.Ordinal);
        Assert.Equal(2, (await cli.RunAsync("images", "-q")).Succeeded().Lines.Length);

        var prune = (await cli.RunAsync("system", "prune", "-f")).Succeeded();

        Assert.Equal("Deleted Images:", prune.Lines[0]);
        Assert.Contains($"deleted: {first}", prune.Lines);
        Assert.Contains("Deleted build cache objects:", prune.Lines);
        Assert.StartsWith("Total reclaimed space: ", prune.Lines[^1], StringComparison.Ordinal);
        Assert.Single((await cli.RunAsync("images", "-q")).Succeeded().Lines);
        Assert.Equal(["third"], (await cli.RunAsync("run", "app:1", "/bin/busybox", "cat", "/third")).Succeeded().Lines);
    }

    [Fact]
    public async Task APruneDuringABuildWaitsForItAndTheBuildSucceeds()
    {
        using var cli = new DockerbuildProcess();
        // The RUN holds the build until the test creates "go" in the context, which it sees through a bind
        // mount; its quoted marker prints as "started" only once it runs, not in the step's title.
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base
            + "RUN --mount=type=bind,target=/ctx echo \"sta\"rted; while [ ! -e /ctx/go ]; do sleep 0.1; done; echo done > /done\n");
        using var build = cli.Start("build", "--progress=plain", "-t", "app:1", context);
        await build.WaitForLineAsync("started");

        using var prune = cli.Start("builder", "prune", "-a", "-f");
        await prune.WaitForLineAsync("Waiting for the builds and runs in flight to finish");
        await File.WriteAllTextAsync(Path.Combine(context, "go"), "", TestContext.Current.CancellationToken);

        var built = await build.WaitForExitAsync();
        Assert.True(built.ExitCode == 0, string.Join('\n', built.Lines));
        var pruned = await prune.WaitForExitAsync();
        Assert.Equal(0, pruned.ExitCode);
        Assert.StartsWith("Total reclaimed space: ", pruned.Lines[^1], StringComparison.Ordinal);
        Assert.Equal(["done"], (await cli.RunAsync("run", "app:1", "/bin/busybox", "cat", "/done")).Succeeded().Lines);
    }
}
