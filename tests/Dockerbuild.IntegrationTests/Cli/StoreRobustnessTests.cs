using System.Security.Cryptography;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// The store under stress through the executable: concurrent builds sharing it, and a build killed
/// mid-RUN, after which the store is consistent, the next build succeeds and prune clears what was left.
/// </summary>
public sealed class StoreRobustnessTests
{
    [Fact]
    public async Task TwoConcurrentBuildsSharingOneStoreBothSucceed()
    {
        using var cli = new DockerbuildProcess();
        // Same first steps (same cache keys and layers, written by both at once), different last ones.
        var first = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN echo one > /which\n", "first");
        var second = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN echo two > /which\n", "second");

        using var one = cli.Start("build", "-q", "-t", "one", first);
        using var two = cli.Start("build", "-q", "-t", "two", second);
        var (oneExit, oneLines) = await one.WaitForExitAsync();
        var (twoExit, twoLines) = await two.WaitForExitAsync();

        Assert.True(oneExit == 0, string.Join('\n', oneLines));
        Assert.True(twoExit == 0, string.Join('\n', twoLines));
        Assert.Equal(["one"], (await cli.RunAsync("run", "one", "/bin/busybox", "cat", "/which")).Succeeded().Lines);
        Assert.Equal(["two"], (await cli.RunAsync("run", "two", "/bin/busybox", "cat", "/which")).Succeeded().Lines);
        AssertBlobsIntact(cli.Root);
    }

    [Fact]
    public async Task ABuildKilledMidRunLeavesAConsistentStoreTheNextBuildSucceedsAndPruneClearsTheRest()
    {
        using var cli = new DockerbuildProcess();
        // The RUN waits for a file named by the GATE build arg in the context, seen through a bind mount;
        // its quoted marker prints as "started" only once it runs, not in the step's title.
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base
            + "ARG GATE\nRUN --mount=type=bind,target=/ctx echo \"sta\"rted; while [ ! -e /ctx/$GATE ]; do sleep 0.1; done; echo $GATE > /gate\n");
        using (var killed = cli.Start("build", "--progress=plain", "--build-arg", "GATE=never", "-t", "app", context))
        {
            await killed.WaitForLineAsync("started");
            await killed.SignalAsync("KILL");
            Assert.NotEqual(0, (await killed.WaitForExitAsync()).ExitCode);
        }

        // Only whole blobs are under their digests; the killed build's container and overlay are still there.
        AssertBlobsIntact(cli.Root);
        Assert.NotEmpty(await MountsBelowAsync(cli.Root));

        await File.WriteAllTextAsync(Path.Combine(context, "go"), "", TestContext.Current.CancellationToken);
        (await cli.RunAsync("build", "-q", "--build-arg", "GATE=go", "-t", "app", context)).Succeeded();
        Assert.Equal(["go"], (await cli.RunAsync("run", "app", "/bin/busybox", "cat", "/gate")).Succeeded().Lines);

        (await cli.RunAsync("builder", "prune", "-f")).Succeeded();

        Assert.Empty(await MountsBelowAsync(cli.Root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(cli.Root, "work", "snapshots")));
        AssertBlobsIntact(cli.Root);
        (await cli.RunAsync("build", "-q", "--build-arg", "GATE=go", context)).Succeeded();
    }

    private static void AssertBlobsIntact(string root)
    {
        foreach (var blob in Directory.EnumerateFiles(Path.Combine(root, "blobs", "sha256")))
        {
            using var stream = File.OpenRead(blob);
            Assert.Equal(Path.GetFileName(blob), Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
    }

    private static async Task<IReadOnlyList<string>> MountsBelowAsync(string root)
    {
        var prefix = Path.GetFullPath(root) + "/";
        var lines = await File.ReadAllLinesAsync("/proc/self/mountinfo", TestContext.Current.CancellationToken);
        return [.. lines.Select(line => line.Split(' ')[4]).Where(mountPoint => mountPoint.StartsWith(prefix, StringComparison.Ordinal))];
    }
}
