using Dockerbuild.Engine.Execution;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>More instruction semantics, with BuildKit's dockerfile2llb dispatch as the expectation.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DispatchTests
{
    [Fact]
    public async Task OnbuildTriggersRunInTheChildAndAreNotInherited()
    {
        using var f = await BuildFixture.CreateAsync();
        var parent = await f.BuildAsync("FROM busybox:test\nONBUILD RUN echo triggered > /trig\n", r => r with { Tags = ["parent:1"] });
        Assert.Equal(["RUN echo triggered > /trig"], parent.Config.Config.OnBuild);
        Assert.Empty(parent.Config.RootFs.DiffIds.Skip(1));

        var child = await f.BuildAsync("FROM parent:1\nRUN cat /trig > /seen\n");
        Assert.Null(child.Config.Config.OnBuild);
        var rootfs = await f.ExtractAsync(child);
        Assert.Equal("triggered\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HealthcheckIsStoredWithGoFormattedHistory()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("FROM busybox:test\nHEALTHCHECK --interval=30s --retries=3 CMD wget -q localhost\n");

        var check = result.Config.Config.Healthcheck!;
        Assert.Equal(["CMD-SHELL", "wget -q localhost"], check.Test);
        Assert.Equal(TimeSpan.FromSeconds(30), check.Interval);
        Assert.Equal(3, check.Retries);
        Assert.Equal("HEALTHCHECK &{[\"CMD-SHELL\" \"wget -q localhost\"] \"30s\" \"0s\" \"0s\" \"0s\" '\\x03'}", result.Config.History![^1].CreatedBy);
    }

    [Fact]
    public async Task UnusedBuildArgsAreReported()
    {
        using var f = await BuildFixture.CreateAsync();
        await f.BuildAsync("FROM busybox:test\nARG USED\n", r => r with { BuildArgs = new Dictionary<string, string> { ["USED"] = "1", ["UNUSED"] = "2" } });

        var warning = Assert.Single(f.Events, e => e.Kind == BuildEventKind.Warning);
        Assert.Equal("One or more build-args [UNUSED] were not consumed", warning.Text);
    }

    [Fact]
    public async Task HeredocRunAndMountsWork()
    {
        using var f = await BuildFixture.CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(f.Context, "input.txt"), "bound\n", TestContext.Current.CancellationToken);
        var result = await f.BuildAsync("""
            FROM busybox:test
            RUN <<EOF
            echo from heredoc > /heredoc
            EOF
            RUN --mount=type=bind,source=input.txt,target=/mnt/input.txt cat /mnt/input.txt > /bound
            RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && test -f /scratch/x
            RUN --mount=type=cache,target=/cache echo $(( $(cat /cache/n 2>/dev/null || echo 0) + 1 )) > /cache/n && cp /cache/n /n
            """);

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("from heredoc\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "heredoc"), TestContext.Current.CancellationToken));
        Assert.Equal("bound\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "bound"), TestContext.Current.CancellationToken));
        Assert.Equal("1\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "n"), TestContext.Current.CancellationToken));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "scratch")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "cache")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "mnt")));

        // The cache mount outlives the build: a no-cache rebuild sees the count from the first one.
        var again = await f.BuildAsync(await File.ReadAllTextAsync(Path.Combine(f.Context, "Dockerfile"), TestContext.Current.CancellationToken), r => r with { NoCache = true });
        var second = await f.ExtractAsync(again);
        Assert.Equal("2\n", await File.ReadAllTextAsync(Path.Combine(second, "n"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task NetworkNoneLeavesOnlyLoopback()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("FROM busybox:test\nRUN --network=none ls /sys/class/net > /nets\n");
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("lo\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "nets"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CopyFromANamedContextDirectory()
    {
        using var f = await BuildFixture.CreateAsync();
        var named = Path.Combine(f.Context, "..", "named");
        Directory.CreateDirectory(named);
        await File.WriteAllTextAsync(Path.Combine(named, "n.txt"), "named\n", TestContext.Current.CancellationToken);
        var result = await f.BuildAsync("FROM busybox:test\nCOPY --from=extra n.txt /n.txt\n", r => r with { NamedContexts = new Dictionary<string, string> { ["extra"] = named } });

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("named\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "n.txt"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AReadWriteBindIsWritableAndItsWritesAreDiscarded()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("""
            FROM busybox:test
            RUN --mount=type=bind,rw,target=/ctx touch /ctx/new && test -f /ctx/new && echo ok > /rw
            RUN --mount=type=cache,target=/c,sharing=private touch /c/x
            """);

        Assert.False(File.Exists(Path.Combine(f.Context, "new")));
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("ok\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "rw"), TestContext.Current.CancellationToken));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "ctx")));
    }
}
