namespace Dockerbuild.Cli.Tests;

public sealed class CheckCommandTests
{
    [Fact]
    public async Task PrintsFindingsAsFileLineColumnRuleMessage()
    {
        using var files = new TempDockerfiles();
        var path = files.Write("Dockerfile", "FROM alpine AS Build\nMAINTAINER me\nCMD node server.js\n");
        var (code, output, error) = await CliRunner.RunAsync("check", path);
        Assert.Equal((0, ""), (code, error));
        Assert.Equal(
            $"""
            {path}:1:1: StageNameCasing: Stage name 'Build' should be lowercase
            {path}:2:1: MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label
            {path}:3:1: JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals

            """,
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ACleanFilePrintsNothing()
    {
        using var files = new TempDockerfiles();
        var (code, output, error) = await CliRunner.RunAsync("check", files.Write("Dockerfile", "FROM alpine\nCMD [\"node\", \"server.js\"]\n"));
        Assert.Equal((0, "", ""), (code, output, error));
    }

    [Fact]
    public async Task ErrorTrueMakesTheExitCodeNonZero()
    {
        using var files = new TempDockerfiles();
        var path = files.Write("Dockerfile", "# check=error=true\nFROM alpine\nMAINTAINER me\n");
        var (code, output, _) = await CliRunner.RunAsync("check", path);
        Assert.Equal(1, code);
        Assert.Contains("MaintainerDeprecated", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildArgumentsReachTheChecks()
    {
        using var files = new TempDockerfiles();
        var path = files.Write("Dockerfile", "FROM alpine\nMAINTAINER me\n");
        var (code, output, _) = await CliRunner.RunAsync("check", "--build-arg", "BUILDKIT_DOCKERFILE_CHECK=skip=all", path);
        Assert.Equal((0, ""), (code, output));
    }

    [Fact]
    public async Task AnUnparsableFileFailsWithOneLine()
    {
        using var files = new TempDockerfiles();
        var bad = files.Write("bad", "RUN echo before from\n");
        var (code, _, error) = await CliRunner.RunAsync("check", bad);
        Assert.Equal(1, code);
        Assert.StartsWith($"{bad}:1:1: no build stage in current context", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMalformedCheckDirectiveFailsThatFileOnly()
    {
        using var files = new TempDockerfiles();
        var bad = files.Write("bad", "# check=warn=all\nFROM alpine\n");
        var good = files.Write("good", "FROM alpine\nMAINTAINER me\n");
        var (code, output, error) = await CliRunner.RunAsync("check", bad, good);
        Assert.Equal(1, code);
        Assert.StartsWith($"{bad}:1:", error, StringComparison.Ordinal);
        Assert.Contains("MaintainerDeprecated", output, StringComparison.Ordinal);
    }
}
