using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Dockerfile.Tests.Instructions;

/// <summary>Parse and bind together (<see cref="BoundDockerfile.Load"/>): spans come from the real grammar.</summary>
public sealed class LoadTests
{
    [Fact]
    public void LoadsStagesWithTheirSpans()
    {
        var bound = BoundDockerfile.Load(
            "# syntax=docker/dockerfile:1\nARG GO=1.23\nFROM golang:${GO} AS build\nRUN --mount=type=cache,target=/root/.cache \\\n    go build ./...\nFROM scratch\nCOPY --from=build /out /\n",
            "app/Dockerfile");

        Assert.Equal("app/Dockerfile", bound.File);
        Assert.Equal("syntax", Assert.Single(bound.Directives).Name);
        Assert.Equal(2, bound.Stages.Count);
        var run = Assert.IsType<RunInstruction>(Assert.Single(bound.Stages[0].Instructions));
        Assert.Equal((4, 5), (run.Span.StartLine, run.Span.EndLine));
        Assert.Equal("/root/.cache", Assert.Single(run.Mounts).Target);
        Assert.Equal(6, bound.Stages[1].Span.StartLine);
    }

    [Fact]
    public void ABindErrorNamesFileLineAndColumn()
    {
        var e = Assert.Throws<DockerfileException>(() => BoundDockerfile.Load("FROM alpine\n\n  COPY --form=build a b\n", "Dockerfile"));
        Assert.Equal("Dockerfile:3:3: unknown flag: --form for COPY (did you mean --from?)", e.Message);
    }

    [Fact]
    public void OnbuildTriggersAreBoundFromTheGrammar()
    {
        var bound = BoundDockerfile.Load("FROM alpine\nONBUILD COPY --chown=app . /src\n", "Dockerfile");
        var onbuild = Assert.IsType<OnbuildInstruction>(Assert.Single(bound.Stages[0].Instructions));
        Assert.Equal("app", Assert.IsType<CopyInstruction>(onbuild.Trigger).Chown);
        Assert.Equal("COPY --chown=app . /src", onbuild.Expression);
    }

    [Fact]
    public void HeredocsReachTheTypedInstructions()
    {
        var bound = BoundDockerfile.Load("FROM alpine\nCOPY <<-EOF /etc/motd\n\thello\n\tEOF\nRUN <<EOT\necho hi\nEOT\n", "Dockerfile");
        var copy = Assert.IsType<CopyInstruction>(bound.Stages[0].Instructions[0]);
        Assert.Equal(new InlineSource("EOF", "hello\n", true), Assert.Single(copy.Sources.Contents));
        var run = Assert.IsType<RunInstruction>(bound.Stages[0].Instructions[1]);
        Assert.Equal("echo hi\n", Assert.Single(run.Command.Heredocs).Body);
    }

    [Fact]
    public void FindStageTakesAnIndexOrANameAsBuildKitDoes()
    {
        var bound = BoundDockerfile.Load("FROM alpine AS Build\nFROM scratch AS out\n", "Dockerfile");
        Assert.Same(bound.Stages[0], bound.FindStage("build"));
        Assert.Same(bound.Stages[0], bound.FindStage("BUILD"));
        Assert.Same(bound.Stages[1], bound.FindStage("1"));
        Assert.Null(bound.FindStage("2"));
        Assert.Null(bound.FindStage("-1"));
        Assert.Null(bound.FindStage("alpine"));
    }
}
