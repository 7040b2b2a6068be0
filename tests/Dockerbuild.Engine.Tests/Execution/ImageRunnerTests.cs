using Dockerbuild.Engine.Execution;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>docker run's rules for the process made from an image config (docker's own behaviour as the reference).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImageRunnerTests
{
    private static readonly ContainerConfig Config = new()
    {
        Entrypoint = ["/entry", "-x"],
        Cmd = ["default", "args"],
        Env = ["PATH=/custom/bin", "A=1"],
    };

    [Fact]
    public void EntrypointThenCmdByDefault() =>
        Assert.Equal(["/entry", "-x", "default", "args"], ImageRunner.Arguments(Config, Request()));

    [Fact]
    public void ArgumentsReplaceCmdOnly() =>
        Assert.Equal(["/entry", "-x", "mine"], ImageRunner.Arguments(Config, Request() with { Command = ["mine"] }));

    [Fact]
    public void AnEntrypointOptionReplacesTheEntrypointAndDropsCmd()
    {
        Assert.Equal(["/other"], ImageRunner.Arguments(Config, Request() with { Entrypoint = "/other" }));
        Assert.Equal(["/other", "a"], ImageRunner.Arguments(Config, Request() with { Entrypoint = "/other", Command = ["a"] }));
        Assert.Equal(["sh"], ImageRunner.Arguments(Config, Request() with { Entrypoint = "", Command = ["sh"] }));
    }

    [Fact]
    public void NothingToRunIsDockersError125()
    {
        var e = Assert.Throws<ContainerRunException>(() => ImageRunner.Arguments(new ContainerConfig(), Request()));
        Assert.Equal(125, e.ExitCode);
        Assert.Throws<ContainerRunException>(() => ImageRunner.Arguments(Config, Request() with { Entrypoint = "" }));
    }

    [Fact]
    public void EnvironmentIsHostnameThenImageThenOptionsByName()
    {
        Assert.Equal(
            ["HOSTNAME=abc", "PATH=/custom/bin", "A=2", "B=3"],
            ImageRunner.Environment(Config, Request() with { Env = ["A=2", "B=3"] }, "abc"));
        Assert.Equal(
            ["HOSTNAME=abc", "PATH=" + RunHandler.DefaultPath],
            ImageRunner.Environment(new ContainerConfig(), Request(), "abc"));
    }

    private static RunRequest Request() => new() { Image = "image" };
}
