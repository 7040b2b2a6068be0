using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Planning;

namespace Dockerbuild.Engine.Tests.Planning;

/// <summary>Which stages a target needs, as BuildKit's dockerfile2llb prunes them.</summary>
public sealed class BuildPlannerTests
{
    private const string MultiStage = """
        ARG BASE=busybox
        FROM ${BASE} AS tools
        FROM busybox AS deps
        FROM deps AS build
        COPY --from=tools /t /t
        RUN --mount=type=bind,from=1,target=/d true
        FROM busybox AS unrelated
        FROM scratch AS final
        COPY --from=build /out /out
        """;

    private static BuildPlan Plan(string dockerfile, BuildRequest? request = null) =>
        BuildPlanner.Plan(BoundDockerfile.Load(dockerfile, "Dockerfile"), request ?? new BuildRequest { ContextDirectory = "." });

    [Fact]
    public void TheLastStageIsTheDefaultTargetAndPullsInWhatItReads()
    {
        var plan = Plan(MultiStage);

        Assert.Equal("final", plan.Target.Stage.Name);
        Assert.Equal(["tools", "deps", "build", "final"], plan.Stages.Select(s => s.Stage.Name));
        Assert.Equal([0, 1], plan.Get(2).DependsOn);
        Assert.Equal("deps", plan.Get(2).BaseStage?.Name);
        Assert.Equal("busybox", plan.Get(0).BaseName); // global ARG expanded in FROM
    }

    [Fact]
    public void ATargetBuildsOnlyItsDependencies()
    {
        var plan = Plan(MultiStage, new BuildRequest { ContextDirectory = ".", Target = "DEPS" });

        Assert.Equal(["deps"], plan.Stages.Select(s => s.Stage.Name));
    }

    [Fact]
    public void BuildArgsReachFromLines()
    {
        var plan = Plan(MultiStage, new BuildRequest { ContextDirectory = ".", BuildArgs = new Dictionary<string, string> { ["BASE"] = "alpine" } });

        Assert.Equal("alpine", plan.Get(0).BaseName);
    }

    [Theory]
    [InlineData("linux/arm64")]
    [InlineData("windows/amd64")]
    public void OnlyTheNativePlatformIsBuilt(string platform)
    {
        var error = Assert.Throws<BuildException>(() => Plan("FROM scratch\n", new BuildRequest { ContextDirectory = ".", Platform = platform }));

        Assert.Equal($"platform {platform} is not supported: only linux/amd64 builds natively and no emulation is available", error.Message);
    }

    [Fact]
    public void SecretsParseLikeBuildx()
    {
        Assert.Equal(new BuildSecret("tok", Path.GetFullPath("t.txt"), null), BuildSecret.Parse("id=tok,src=t.txt"));
        Assert.Equal(new BuildSecret("tok", null, "TOKEN"), BuildSecret.Parse("id=tok,env=TOKEN"));
        Assert.Throws<BuildException>(() => BuildSecret.Parse("src="));
    }
}
