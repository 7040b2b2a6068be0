using Dockerbuild.Engine.Execution;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// The build checks a build runs, as BuildKit's dockerfile frontend does while converting: the base
/// image's config is known then, so UndefinedVar sees the variables it defines and JSONArgsRecommended
/// its SHELL; findings are warnings, and <c># check=error=true</c> fails the build.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildLintTests
{
    [Fact]
    public async Task UndefinedVarKnowsTheBaseImagesEnv()
    {
        using var f = await BuildFixture.CreateAsync();
        await f.BuildAsync("FROM busybox:test\nENV FROM_BASE=1\n", r => r with { Tags = ["parent:1"] });
        f.Events.Clear();

        await f.BuildAsync("FROM parent:1\nENV A=$FROM_BASE B=$MISSING\n");

        var warning = Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning);
        Assert.Equal("UndefinedVar: Usage of undefined variable '$MISSING' (line 2)", warning.Text);
    }

    [Fact]
    public async Task JsonArgsRecommendedIsSilentWhenTheBaseImageSetsAShell()
    {
        using var f = await BuildFixture.CreateAsync();
        await f.BuildAsync("FROM busybox:test\nSHELL [\"/bin/sh\", \"-ec\"]\n", r => r with { Tags = ["shell:1"] });
        f.Events.Clear();

        await f.BuildAsync("FROM shell:1\nCMD echo hi\n");
        Assert.DoesNotContain(f.Events, e => e.Kind == BuildEventKind.CheckWarning);

        await f.BuildAsync("FROM busybox:test\nCMD echo hi\n");
        var warning = Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning);
        Assert.Equal("JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 2)", warning.Text);
    }

    [Fact]
    public async Task CheckErrorTrueFailsTheBuildBeforeAnythingRuns()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<BuildException>(() => f.BuildAsync("# check=error=true\nFROM busybox:test\nRUN touch /x\nCMD echo hi\n", r => r with { Tags = ["linted:1"] }));

        Assert.Equal("lint violation found for rules: JSONArgsRecommended", error.Message);
        Assert.Equal(0, f.LastRunCount);
        Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning);
        Assert.Null(await f.Store.FindAsync("linted:1", TestContext.Current.CancellationToken));
    }
}
