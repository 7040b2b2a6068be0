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

        Assert.Equal("platform windows/amd64 is not supported: only linux images are built (linux/amd64 natively, other architectures through an emulator)", error.Message);
    }

    [Fact]
    public void SecretsParseLikeBuildx()
    {
        Assert.Equal(new BuildSecret("tok", Path.GetFullPath("t.txt"), null), BuildSecret.Parse("id=tok,src=t.txt"));
        Assert.Equal(new BuildSecret("tok", null, "TOKEN"), BuildSecret.Parse("id=tok,env=TOKEN"));
        Assert.Throws<BuildException>(() => BuildSecret.Parse("src="));
    }

    [Fact]
    public void PlatformsAreNormalizedAndOnlyLinuxIsBuilt()
    {
        Assert.Equal("linux/amd64", BuildPlanner.TargetPlatform(null).ToString());
        Assert.Equal("linux/amd64", BuildPlanner.TargetPlatform("linux/x86_64").ToString()); // as containerd's platforms package
        Assert.Equal("linux/arm64", BuildPlanner.TargetPlatform("linux/arm64/v8").ToString());
        Assert.Equal("linux/arm/v7", BuildPlanner.TargetPlatform("linux/arm").ToString());
        Assert.Throws<BuildException>(() => BuildPlanner.TargetPlatform("linux//"));
    }

    [Fact]
    public void APlatformListIsSplitNormalizedAndDeduplicatedAsBuildx()
    {
        Assert.Empty(BuildPlanner.TargetPlatforms(null));
        Assert.Equal(["linux/arm64"], BuildPlanner.TargetPlatforms("linux/aarch64").Select(p => p.ToString()));
        // buildx's platformutil: split on commas, normalize, drop later duplicates, keep the order; "local" is the native platform.
        Assert.Equal(["linux/arm64", "linux/amd64", "linux/arm/v7"],
            BuildPlanner.TargetPlatforms("linux/arm64,linux/x86_64,linux/arm64/v8,local,linux/arm").Select(p => p.ToString()));
        Assert.Contains("an empty entry", Assert.Throws<BuildException>(() => BuildPlanner.TargetPlatforms("linux/amd64,")).Message, StringComparison.Ordinal);
        Assert.Contains("windows/amd64 is not supported", Assert.Throws<BuildException>(() => BuildPlanner.TargetPlatforms("linux/amd64,windows/amd64")).Message, StringComparison.Ordinal);
    }

    // Debian qemu-user-static's registrations, as /proc/sys/fs/binfmt_misc shows them once written to register.
    private const string Aarch64 = "interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\noffset 0\nmagic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n";
    private const string Riscv64 = "interpreter /usr/libexec/qemu-binfmt/riscv64-binfmt-P\noffset 0\nmagic 7f454c460201010000000000000000000200f300\nmask ffffffffffffff00fffffffffffffffffeffffff\n";

    [Fact]
    public void ARunForAForeignPlatformNeedsAnEnabledEmulatorWithTheFixBinaryFlag()
    {
        using var binfmt = new Dockerbuild.Testing.TempDirectory("dockerbuild-binfmt-");
        Emulators.EnsureRunnable(Oci.Platform.Parse("linux/amd64"), binfmt.Path);

        var none = Assert.Throws<BuildException>(() => Emulators.EnsureRunnable(Oci.Platform.Parse("linux/arm64"), binfmt.Path));
        Assert.Contains("linux/arm64 is not supported", none.Message, StringComparison.Ordinal);
        Assert.Contains("no emulator for arm64 is registered", none.Message, StringComparison.Ordinal);

        // Matched by ELF magic, not by name; a disabled entry or another architecture's does not count.
        File.WriteAllText(binfmt.Combine("status"), "enabled\n");
        File.WriteAllText(binfmt.Combine("arm-emulator"), "disabled\n" + Aarch64 + "flags: POF\n");
        File.WriteAllText(binfmt.Combine("qemu-riscv64"), "enabled\n" + Riscv64 + "flags: POF\n");
        Assert.Throws<BuildException>(() => Emulators.EnsureRunnable(Oci.Platform.Parse("linux/arm64"), binfmt.Path));
        Emulators.EnsureRunnable(Oci.Platform.Parse("linux/riscv64"), binfmt.Path);

        // Without F the kernel would look for the interpreter inside the build's root filesystem.
        File.WriteAllText(binfmt.Combine("arm-emulator"), "enabled\n" + Aarch64 + "flags: PO\n");
        var withoutF = Assert.Throws<BuildException>(() => Emulators.EnsureRunnable(Oci.Platform.Parse("linux/arm64/v8"), binfmt.Path));
        Assert.Contains("arm-emulator is registered", withoutF.Message, StringComparison.Ordinal);
        Assert.Contains("without the F flag", withoutF.Message, StringComparison.Ordinal);

        File.WriteAllText(binfmt.Combine("arm-emulator"), "enabled\n" + Aarch64 + "flags: POF\n");
        Emulators.EnsureRunnable(Oci.Platform.Parse("linux/arm64"), binfmt.Path);
        Assert.Equal("arm-emulator", Emulators.Find(Oci.Platform.Parse("linux/arm64"), binfmt.Path)?.Name);

        // binfmt_misc switched off as a whole runs nothing.
        File.WriteAllText(binfmt.Combine("status"), "disabled\n");
        Assert.Null(Emulators.Find(Oci.Platform.Parse("linux/arm64"), binfmt.Path));
    }
}
