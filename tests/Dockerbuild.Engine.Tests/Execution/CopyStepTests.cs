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

    /// <summary>BuildKit's --from takes a stage's index in the file as well as its name.</summary>
    [Fact]
    public async Task CopyFromAStageIndex()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("FROM busybox:test\nRUN echo zero > /z\nFROM busybox:test AS named\nRUN echo one > /o\nFROM scratch\nCOPY --from=0 /z /z\nCOPY --from=1 /o /o\n");

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("zero\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "z"), TestContext.Current.CancellationToken));
        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "o"), TestContext.Current.CancellationToken));
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

    /// <summary>
    /// dockerfile2llb's dispatchCopy commit message: the keyword, then --parents, --chown=, --chmod= as
    /// expanded (never --link, --exclude or --from), the sources and heredoc names (&lt;&lt;NAME), the
    /// destination as written (expanded, not resolved against WORKDIR), and " # buildkit".
    /// </summary>
    [Fact]
    public async Task CopyAndAddHistoryIsDispatchCopysCommitMessage()
    {
        using var f = await BuildFixture.CreateAsync();
        Directory.CreateDirectory(Path.Combine(f.Context, "src", "x"));
        await File.WriteAllTextAsync(Path.Combine(f.Context, "a"), "a", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(f.Context, "src", "x", "y"), "y", TestContext.Current.CancellationToken);
        var result = await f.BuildAsync("""
            FROM busybox:test AS other
            FROM busybox:test
            ARG OWNER=1
            WORKDIR /w
            COPY --chown=1:1 --chmod=755 a /b
            COPY --chown=${OWNER}:${OWNER} --link --exclude=*.tmp a rel/
            COPY --parents src/./x/y /p/
            COPY --from=other --chmod=0644 /etc/passwd /o
            ADD --chown=2 a /added
            COPY <<EOF /h
            hello
            EOF
            """);

        var createdBy = result.Config.History!.Where(h => !h.EmptyLayer).Select(h => h.CreatedBy).Skip(2).ToList();
        Assert.Equal(
            [
                "COPY --chown=1:1 --chmod=755 a /b # buildkit",
                "COPY --chown=1:1 a rel/ # buildkit",
                "COPY --parents src/./x/y /p/ # buildkit",
                "COPY --chmod=0644 /etc/passwd /o # buildkit",
                "ADD --chown=2 a /added # buildkit",
                "COPY <<EOF /h # buildkit",
            ],
            createdBy);
    }
}
