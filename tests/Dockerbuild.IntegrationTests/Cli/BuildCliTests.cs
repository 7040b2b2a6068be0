namespace Dockerbuild.IntegrationTests.Cli;

/// <summary><c>dockerbuild build</c> through the executable: global options, outputs and the store it writes to.</summary>
public sealed class BuildCliTests
{
    [Fact]
    public async Task TheGlobalRootOptionSelectsTheStoreTheBuildWritesTo()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN echo built > /built\n");
        var other = Path.Combine(cli.Home, "other-store");

        (await cli.RunAsync("--root", other, "build", "-q", "-t", "rooted:1", context)).Succeeded();

        Assert.Contains("rooted", (await cli.RunAsync("--root", other, "images")).Succeeded().Out, StringComparison.Ordinal);
        Assert.DoesNotContain("rooted", (await cli.RunAsync("images")).Succeeded().Out, StringComparison.Ordinal);
        Assert.Equal(["built"], (await cli.RunAsync("--root", other, "run", "rooted:1", "/bin/busybox", "cat", "/built")).Succeeded().Lines);
    }
}
