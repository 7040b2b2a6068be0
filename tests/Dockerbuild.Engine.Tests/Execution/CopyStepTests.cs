namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>COPY as a build step: the seam to the copy planner, its history entry, and its cache key over source content.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CopyStepTests
{
    [Fact]
    public async Task CopyFromTheContextLandsInALayerWithBuildKitsHistory()
    {
        using var f = await BuildFixture.CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(f.Context, "a.txt"), "from context\n", TestContext.Current.CancellationToken);
        var result = await f.BuildAsync("FROM busybox:test\nWORKDIR /app\nCOPY a.txt ./\nRUN cat /app/a.txt > /seen\n");

        Assert.Equal("COPY a.txt ./ # buildkit", result.Config.History![^2].CreatedBy);
        Assert.False(result.Config.History![^2].EmptyLayer);
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("from context\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "app", "a.txt"), TestContext.Current.CancellationToken));
        Assert.Equal("from context\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ChangingACopiedFileRebuildsFromThatStepOnly()
    {
        using var f = await BuildFixture.CreateAsync();
        const string dockerfile = "FROM busybox:test\nRUN echo first > /first\nCOPY a.txt /a.txt\nRUN cat /a.txt > /b.txt\n";
        await File.WriteAllTextAsync(Path.Combine(f.Context, "a.txt"), "one\n", TestContext.Current.CancellationToken);
        await f.BuildAsync(dockerfile);
        Assert.Equal(2, f.LastRunCount);

        await f.BuildAsync(dockerfile);
        Assert.Equal(0, f.LastRunCount);

        await File.WriteAllTextAsync(Path.Combine(f.Context, "a.txt"), "two\n", TestContext.Current.CancellationToken);
        var result = await f.BuildAsync(dockerfile);
        Assert.Equal(1, f.LastRunCount);
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "b.txt"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CopyFromAnEarlierStage()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("""
            FROM busybox:test AS build
            RUN mkdir /out && echo built > /out/app
            FROM scratch
            COPY --from=build /out/app /app
            """);

        Assert.Single(result.Config.RootFs.DiffIds);
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], result.Config.Config.Env);
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("built\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "app"), TestContext.Current.CancellationToken));
    }
}
