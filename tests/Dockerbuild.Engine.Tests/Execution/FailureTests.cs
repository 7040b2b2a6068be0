using Dockerbuild.Dockerfile;
using Dockerbuild.Engine.Execution;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>Bad input gives one clear error; a killed build leaves a store the next build can use.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FailureTests
{
    [Fact]
    public async Task AMissingContextFileNamesItsLine()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<DockerfileException>(() => f.BuildAsync("FROM busybox:test\nCOPY missing.txt /x\n"));

        Assert.StartsWith("Dockerfile:2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing.txt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownTargetIsAnError()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<BuildException>(() => f.BuildAsync("FROM busybox:test AS a\n", r => r with { Target = "nosuch" }));

        Assert.Equal("target stage \"nosuch\" could not be found", error.Message);
    }

    [Fact]
    public async Task AnUnknownCopyFromIsAnImageThatIsNotFound()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<DockerfileException>(() => f.BuildAsync("FROM busybox:test\nCOPY --from=nosuch /x /x\n"));

        Assert.StartsWith("Dockerfile:2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("nosuch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKilledBuildLeavesNothingMountedAndTheNextBuildSucceeds()
    {
        using var f = await BuildFixture.CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(f.Context, "Dockerfile"), "FROM busybox:test\nRUN echo started && sleep 60\n", TestContext.Current.CancellationToken);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var progress = new CancelOnOutput(cancel);
        var builder = new ImageBuilder(f.Store, new BuildEngineOptions { Progress = progress });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => builder.BuildAsync(new Dockerbuild.Engine.Planning.BuildRequest { ContextDirectory = f.Context }, cancel.Token));

        var work = Path.Combine(f.Store.Blobs.Root, "work", "snapshots");
        Assert.Empty(Directory.Exists(work) ? Directory.EnumerateFileSystemEntries(work) : []);
        Assert.DoesNotContain(await File.ReadAllTextAsync("/proc/self/mountinfo", TestContext.Current.CancellationToken), f.Store.Blobs.Root, StringComparison.Ordinal);

        var result = await f.BuildAsync("FROM busybox:test\nRUN echo started > /s\n");
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("started\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "s"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AFailingStageStopsTheStagesBuildingBesideIt()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<BuildStepException>(() => f.BuildAsync("""
            FROM busybox:test AS slow
            RUN sleep 600
            FROM busybox:test AS failing
            RUN exit 4
            FROM scratch
            COPY --from=slow /bin/busybox /a
            COPY --from=failing /bin/busybox /b
            """));

        Assert.Equal(4, error.ExitCode);
        Assert.Equal(4, error.Span.StartLine);
        Assert.DoesNotContain(await File.ReadAllTextAsync("/proc/self/mountinfo", TestContext.Current.CancellationToken), f.Store.Blobs.Root, StringComparison.Ordinal);
    }

    private sealed class CancelOnOutput(CancellationTokenSource cancel) : IProgress<BuildEvent>
    {
        public void Report(BuildEvent value)
        {
            if (value.Kind == BuildEventKind.Output && value.Text == "started")
            {
                cancel.Cancel();
            }
        }
    }
}
