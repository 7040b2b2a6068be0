using Dockerbuild.Dockerfile.Expansion;

namespace Dockerbuild.Dockerfile.Tests.Expansion;

/// <summary>The ARG rules of the Dockerfile reference (docs.docker.com, "ARG") and BuildKit's dispatcher.</summary>
public sealed class ArgScopeTests
{
    private static readonly ShellLexer Lexer = new();

    private static BuildArgScope Global(params (string Name, string Value)[] buildArgs) =>
        BuildArgScope.Create(buildArgs.ToDictionary(a => a.Name, a => a.Value));

    private static string Expand(StageArgScope scope, string word) => Lexer.ProcessWord(word, scope.Environment).Result;

    [Fact]
    public void PlatformArgsAreSetInTheGlobalScope()
    {
        var values = Global().Values;
        Assert.Equal("linux/amd64", values["BUILDPLATFORM"]);
        Assert.Equal("linux", values["BUILDOS"]);
        Assert.Equal("amd64", values["BUILDARCH"]);
        Assert.Equal("", values["BUILDVARIANT"]);
        Assert.Equal("linux/amd64", values["TARGETPLATFORM"]);
        Assert.Equal("linux", values["TARGETOS"]);
        Assert.Equal("amd64", values["TARGETARCH"]);
        Assert.Equal("", values["TARGETVARIANT"]);
    }

    [Fact]
    public void TargetPlatformArgsFollowTheRequestedPlatform()
    {
        var values = BuildArgScope.Create(targetPlatform: "linux/arm/v7").Values;
        Assert.Equal("linux/arm/v7", values["TARGETPLATFORM"]);
        Assert.Equal("arm", values["TARGETARCH"]);
        Assert.Equal("v7", values["TARGETVARIANT"]);
        Assert.Equal("linux/amd64", values["BUILDPLATFORM"]);
    }

    [Fact]
    public void PlatformArgsAreNotVisibleInAStageUntilDeclared()
    {
        var stage = Global().EnterStage();
        Assert.False(stage.Environment.ContainsKey("TARGETPLATFORM"));
        Assert.Equal("linux/amd64", stage.DeclareArg("TARGETPLATFORM", null).Environment["TARGETPLATFORM"]);
    }

    [Fact]
    public void GlobalArgIsUsableInFromAndABuildArgOverridesItsDefault()
    {
        Assert.Equal("latest", Global().Declare("VERSION", "latest").Values["VERSION"]);
        Assert.Equal("1.2", Global(("VERSION", "1.2")).Declare("VERSION", "latest").Values["VERSION"]);
    }

    [Fact]
    public void GlobalArgDefaultsExpandEarlierGlobalValues()
    {
        var global = Global().Declare("BASE", "alpine").Declare("IMAGE", "${BASE}-$TARGETARCH");
        Assert.Equal("alpine-amd64", global.Values["IMAGE"]);
    }

    [Fact]
    public void GlobalArgIsInvisibleInAStageUntilRedeclaredWithoutAValue()
    {
        // ARG VERSION=latest / FROM busybox:$VERSION / ARG VERSION / RUN echo $VERSION
        var global = Global().Declare("VERSION", "latest");
        var stage = global.EnterStage();
        Assert.Equal("", Expand(stage, "$VERSION"));
        Assert.Equal("latest", Expand(stage.DeclareArg("VERSION", null), "$VERSION"));
    }

    [Fact]
    public void AStageDefaultReplacesTheGlobalValueUnlessABuildArgIsGiven()
    {
        Assert.Equal("stage", Global().Declare("V", "global").EnterStage().DeclareArg("V", "stage").Environment["V"]);
        Assert.Equal("cli", Global(("V", "cli")).Declare("V", "global").EnterStage().DeclareArg("V", "stage").Environment["V"]);
    }

    [Fact]
    public void AnArgComesIntoEffectOnTheLineThatDeclaresIt()
    {
        // FROM busybox / USER ${user:-some_user} / ARG user / USER $user, built with --build-arg user=what_user
        var stage = Global(("user", "what_user")).EnterStage();
        Assert.Equal("some_user", Expand(stage, "${user:-some_user}"));
        Assert.Equal("what_user", Expand(stage.DeclareArg("user", null), "$user"));
    }

    [Fact]
    public void AnArgGoesOutOfScopeAtTheEndOfItsStage()
    {
        var global = Global(("SETTINGS", "s"));
        Assert.Equal("s", global.EnterStage().DeclareArg("SETTINGS", null).Environment["SETTINGS"]);
        Assert.False(global.EnterStage().Environment.ContainsKey("SETTINGS"));
    }

    [Fact]
    public void EnvOverridesAnEarlierArgOfTheSameName()
    {
        // ARG CONT_IMG_VER / ENV CONT_IMG_VER=v1.0.0 / RUN echo $CONT_IMG_VER, built with CONT_IMG_VER=v2.0.1
        var stage = Global(("CONT_IMG_VER", "v2.0.1")).EnterStage()
            .DeclareArg("CONT_IMG_VER", null)
            .SetEnv("CONT_IMG_VER", "v1.0.0");
        Assert.Equal("v1.0.0", stage.RunEnvironment["CONT_IMG_VER"]);
    }

    [Theory]
    [InlineData(null, "v1.0.0")]
    [InlineData("v2.0.1", "v2.0.1")]
    public void EnvCanTakeItsValueFromAnArgWithAFallback(string? buildArg, string expected)
    {
        // ARG CONT_IMG_VER / ENV CONT_IMG_VER=${CONT_IMG_VER:-v1.0.0}
        var global = buildArg is null ? Global() : Global(("CONT_IMG_VER", buildArg));
        var stage = global.EnterStage().DeclareArg("CONT_IMG_VER", null);
        stage = stage.SetEnv("CONT_IMG_VER", Expand(stage, "${CONT_IMG_VER:-v1.0.0}"));
        Assert.Equal(expected, stage.Environment["CONT_IMG_VER"]);
    }

    [Fact]
    public void AnArgDeclaredAfterAnInheritedEnvOverridesIt()
    {
        var stage = Global(("HELLO", "arg")).EnterStage([new("HELLO", "image")]);
        Assert.Equal("image", stage.Environment["HELLO"]);
        Assert.Equal("arg", stage.DeclareArg("HELLO", null).Environment["HELLO"]);
    }

    [Fact]
    public void StageArgDefaultsExpandAgainstTheStageEnvironment()
    {
        var stage = Global().Declare("G", "global").EnterStage([new("PATH", "/bin")])
            .SetEnv("A", "x")
            .DeclareArg("B", "$A-$PATH-${G:-no-global}");
        Assert.Equal("x-/bin-no-global", stage.Environment["B"]);
    }

    [Fact]
    public void AnArgWithoutAnyValueIsDeclaredButUnset()
    {
        var stage = Global().EnterStage().DeclareArg("X", null);
        Assert.True(stage.IsDeclaredArg("X"));
        Assert.Null(stage.Args["X"]);
        Assert.Equal("unset", Expand(stage, "${X-unset}"));
    }

    [Fact]
    public void ProxyBuildArgsReachRunWithoutDeclarationButAreNotExpanded()
    {
        var stage = Global(("HTTP_PROXY", "http://proxy:3128"), ("no_proxy", "localhost"), ("OTHER", "x")).EnterStage();
        Assert.Equal("", Expand(stage, "$HTTP_PROXY"));
        var run = stage.RunEnvironment;
        Assert.Equal("http://proxy:3128", run["HTTP_PROXY"]);
        Assert.Equal("http://proxy:3128", run["http_proxy"]);
        Assert.Equal("localhost", run["NO_PROXY"]);
        Assert.Equal("localhost", run["no_proxy"]);
        Assert.False(run.ContainsKey("OTHER"));
    }

    [Fact]
    public void ADeclaredProxyArgIsAnOrdinaryArg()
    {
        var stage = Global(("https_proxy", "http://p")).EnterStage().DeclareArg("https_proxy", null);
        Assert.Equal("http://p", Expand(stage, "$https_proxy"));
        Assert.Contains(BuildArgScope.ProxyArgNames, n => n == "ALL_PROXY");
    }

    [Fact]
    public void ABadDefaultIsAnExpansionError() =>
        Assert.Throws<ExpansionException>(() => Global().EnterStage().DeclareArg("X", "${NOPE:?required}"));
}
