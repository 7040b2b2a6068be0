namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// Bad input through the executable: each gives a non-zero exit and one clear error line naming the
/// Dockerfile line where there is one, never a stack trace.
/// </summary>
public sealed class BuildFailureTests
{
    [Fact]
    public async Task AMissingCopySourceNamesTheFileAndTheLine()
    {
        var error = await FailingBuildAsync(BusyboxContext.Base + "COPY missing.txt /dest/\n");

        Assert.StartsWith("ERROR: Dockerfile:4", error, StringComparison.Ordinal);
        Assert.Contains("missing.txt", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownStageInCopyFromNamesTheStageAndTheLine()
    {
        var error = await FailingBuildAsync(BusyboxContext.Base + "COPY --from=nosuchstage /x /y\n");

        Assert.Contains("Dockerfile:4", error, StringComparison.Ordinal);
        Assert.Contains("nosuchstage", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownStageOrImageInFromNamesItAndTheLine()
    {
        var port = Dockerbuild.Testing.Registry.LoopbackPort.Next();

        var error = await FailingBuildAsync($"FROM 127.0.0.1:{port}/nosuchstage:1 AS base\nFROM base\nRUN true\n");

        Assert.Contains($"127.0.0.1:{port}/nosuchstage:1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableBaseRegistryIsOneErrorNamingTheImage()
    {
        var port = Dockerbuild.Testing.Registry.LoopbackPort.Next();

        var error = await FailingBuildAsync($"FROM 127.0.0.1:{port}/base/image:1\nRUN true\n");

        Assert.StartsWith("ERROR: ", error, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}/base/image:1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingRunShowsItsOutputTheCommandAndTheLine()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN echo to-stdout; echo to-stderr >&2; exit 7\n");

        var result = await cli.RunAsync("build", "-q", context);

        Assert.Equal(1, result.ExitCode);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("to-stdout", lines);
        Assert.Contains("to-stderr", lines);
        Assert.Equal("ERROR: Dockerfile:4: process \"/bin/sh -c echo to-stdout; echo to-stderr >&2; exit 7\" did not complete successfully: exit code: 7", lines[^1]);
        AssertNoStackTrace(result.Err);
    }

    [Fact]
    public async Task AForeignPlatformWithoutAnEmulatorIsOneErrorAtItsRun()
    {
        // riscv64: the tests register only arm64's emulator (EmulatedPlatformTests).
        var error = await FailingBuildAsync(BusyboxContext.Base + "RUN true\n", "--platform", "linux/riscv64");

        Assert.StartsWith("ERROR: Dockerfile:4:1: platform linux/riscv64 is not supported: only linux/amd64 builds natively and no emulator for riscv64 is registered", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SshDefaultWithoutAnAgentIsBuildxsError()
    {
        var error = await FailingBuildAsync(BusyboxContext.Base, "--ssh", "default");

        Assert.Equal("ERROR: invalid empty ssh agent socket: make sure SSH_AUTH_SOCK is set", error);
    }

    /// <summary>Builds <paramref name="dockerfile"/> quietly, asserts a non-zero exit and one stderr line, and returns it.</summary>
    private static async Task<string> FailingBuildAsync(string dockerfile, params string[] options)
    {
        using var cli = new DockerbuildProcess();
        cli.Environment["SSH_AUTH_SOCK"] = ""; // no agent, whatever the machine running the tests has
        var context = await BusyboxContext.CreateAsync(cli.Home, dockerfile);

        var result = await cli.RunAsync(["build", "-q", .. options, context]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(result.Out);
        AssertNoStackTrace(result.Err);
        return Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static void AssertNoStackTrace(string error)
    {
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }
}
