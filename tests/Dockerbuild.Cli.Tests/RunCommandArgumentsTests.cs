using Dockerbuild.Cli.Commands;

namespace Dockerbuild.Cli.Tests;

/// <summary>docker run reads its own options only up to the image; what follows belongs to the container's command.</summary>
public sealed class RunCommandArgumentsTests
{
    [Theory]
    [InlineData("run|img|ls|-l", "run|img|--|ls|-l")]
    [InlineData("run|--rm|-e|A=1|-w|/x|img|sh|-c|echo hi", "run|--rm|-e|A=1|-w|/x|img|--|sh|-c|echo hi")]
    [InlineData("--root|/store|run|--entrypoint|sh|img|-c|true", "--root|/store|run|--entrypoint|sh|img|--|-c|true")]
    [InlineData("run|--network=none|img", "run|--network=none|img|--")]
    [InlineData("run|img|--|x", "run|img|--|x")]
    [InlineData("build|-t|x|.", "build|-t|x|.")]
    public void ADoubleDashGoesAfterTheImage(string given, string expected)
    {
        Assert.Equal(expected.Split('|'), RunCommand.SeparateContainerCommand(given.Split('|')));
    }
}
