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

    [Fact]
    public void AnotherOperatingSystemIsNeverBuilt()
    {
        var error = Assert.Throws<BuildException>(() => Plan("FROM scratch\n", new BuildRequest { ContextDirectory = ".", Platform = "windows/amd64" }));

        Assert.Equal("platform windows/amd64 is not supported: only linux/amd64 builds natively", error.Message);
    }

    [Fact]
    public void SecretsParseLikeBuildx()
    {
        Assert.Equal(new BuildSecret("tok", Path.GetFullPath("t.txt"), null), BuildSecret.Parse("id=tok,src=t.txt"));
        Assert.Equal(new BuildSecret("tok", null, "TOKEN"), BuildSecret.Parse("id=tok,env=TOKEN"));
        Assert.Throws<BuildException>(() => BuildSecret.Parse("src="));
    }

    [Fact]
    public void NativePlatformsPassAndOthersSayWhetherAnEmulatorIsRegistered()
    {
        using var binfmt = new Dockerbuild.Testing.TempDirectory("dockerbuild-binfmt-");
        BuildPlanner.CheckPlatform("linux/amd64", binfmt.Path);
        BuildPlanner.CheckPlatform("linux/x86_64", binfmt.Path); // normalized as containerd's platforms package does

        var none = Assert.Throws<BuildException>(() => BuildPlanner.CheckPlatform("linux/arm64", binfmt.Path));
        Assert.Contains("linux/arm64 is not supported", none.Message, StringComparison.Ordinal);
        Assert.Contains("no emulator for arm64 is registered", none.Message, StringComparison.Ordinal);

        // binfmt_misc's entry format: the first line says whether the handler is enabled.
        File.WriteAllText(binfmt.Combine("qemu-aarch64"), "enabled\ninterpreter /usr/bin/qemu-aarch64-static\nflags: F\n");
        File.WriteAllText(binfmt.Combine("qemu-riscv64"), "disabled\ninterpreter /usr/bin/qemu-riscv64-static\n");
        var registered = Assert.Throws<BuildException>(() => BuildPlanner.CheckPlatform("linux/arm64/v8", binfmt.Path));
        Assert.Contains("qemu-aarch64 is registered", registered.Message, StringComparison.Ordinal);
        Assert.Contains("no emulator for riscv64", Assert.Throws<BuildException>(() => BuildPlanner.CheckPlatform("linux/riscv64", binfmt.Path)).Message, StringComparison.Ordinal);
    }
}
