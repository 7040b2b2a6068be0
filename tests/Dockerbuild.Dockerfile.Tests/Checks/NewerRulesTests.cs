using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Checks;

/// <summary>
/// The rules BuildKit added after the first sixteen: FROM --platform ones, ExposeInvalidFormat and
/// InvalidBaseImagePlatform (fed the platforms a build resolved). Expected texts are those of BuildKit's
/// frontend/dockerfile lint tests and the docs.docker.com/reference/build-checks pages.
/// </summary>
public sealed class NewerRulesTests
{
    private static CheckFinding Single(string rule, string dockerfile, Func<BoundDockerfile, IReadOnlyCollection<BaseImagePlatform>>? platforms = null) =>
        Assert.Single(Run(dockerfile, platforms), f => f.RuleName == rule);

    /// <param name="platforms">What a build resolved, given the bound file (for the spans of its stages).</param>
    private static IReadOnlyList<CheckFinding> Run(string dockerfile, Func<BoundDockerfile, IReadOnlyCollection<BaseImagePlatform>>? platforms = null)
    {
        var syntax = DockerfileParser.Parse(dockerfile, "Dockerfile");
        var bound = DockerfileBinder.Bind(syntax);
        return BuildChecks.Run(syntax, bound, baseImagePlatforms: platforms?.Invoke(bound));
    }

    [Theory]
    [InlineData("$TARGETPLATFORM")]
    [InlineData("${TARGETPLATFORM}")]
    public void RedundantTargetPlatformFiresWithTheValueAsWritten(string value)
    {
        var finding = Single("RedundantTargetPlatform", $"\nFROM --platform={value} scratch\n");
        Assert.Equal($"Setting platform to predefined {value} in FROM is redundant as this is the default behavior", finding.Message);
        Assert.Equal(2, finding.Span.StartLine);
    }

    [Fact]
    public void RedundantTargetPlatformSilentForOtherVariables()
    {
        var findings = Run("ARG P=linux/arm64\nFROM --platform=$BUILDPLATFORM scratch AS a\nFROM --platform=$P scratch AS b\nFROM --platform=${TARGETOS}/${TARGETARCH} scratch AS c\n");
        Assert.DoesNotContain(findings, f => f.RuleName is "RedundantTargetPlatform" or "FromPlatformFlagConstDisallowed");
    }

    [Fact]
    public void FromPlatformFlagConstDisallowedFiresOnAConstant()
    {
        var finding = Single("FromPlatformFlagConstDisallowed", "\nFROM --platform=linux/amd64 scratch\n");
        Assert.Equal("FROM --platform flag should not use constant value \"linux/amd64\"", finding.Message);
        Assert.Equal(2, finding.Span.StartLine);
        Assert.False(finding.IsError);
    }

    [Theory]
    [InlineData("\nFROM --platform=linux/amd64 scratch AS my_amd64_stage\n")]
    [InlineData("\nFROM --platform=linux/amd64 scratch AS linux\n")]
    [InlineData("FROM --platform=linux/arm64 alpine AS build_arm64\n")]
    public void FromPlatformFlagConstDisallowedSilentWhenTheStageNameSaysThePlatform(string dockerfile) =>
        Assert.DoesNotContain(Run(dockerfile), f => f.RuleName == "FromPlatformFlagConstDisallowed");

    [Fact]
    public void ExposeInvalidFormatFiresForAnAddressOrHostPort()
    {
        var findings = Run("FROM alpine\nEXPOSE 127.0.0.1:80:80\nEXPOSE 80:80 443\n").Where(f => f.RuleName == "ExposeInvalidFormat").ToList();
        Assert.Equal(
            ["EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'",
             "EXPOSE instruction should not define an IP address or host-port mapping, found '80:80'"],
            findings.Select(f => f.Message));
        Assert.Equal([2, 3], findings.Select(f => f.Span.StartLine));
    }

    [Fact]
    public void ExposeInvalidFormatSilentForPortsAndProtocols() =>
        Assert.DoesNotContain(Run("FROM alpine\nEXPOSE 80 80/tcp 53/udp 8000-8010\n"), f => f.RuleName == "ExposeInvalidFormat");

    [Fact]
    public void InvalidBaseImagePlatformFiresAtTheFromWhoseImageIsForAnotherArchitecture()
    {
        var finding = Single(
            "InvalidBaseImagePlatform",
            "ARG V=0.17.0\nFROM alpine AS a\nFROM wjdp/htmltest:v${V} AS test\n",
            bound => [new BaseImagePlatform("wjdp/htmltest:v0.17.0", "linux/arm64", "linux/amd64", bound.Stages[1].Span)]);
        Assert.Equal("Base image wjdp/htmltest:v0.17.0 was pulled with platform \"linux/amd64\", expected \"linux/arm64\" for current build", finding.Message);
        Assert.Equal(3, finding.Span.StartLine);
    }

    [Fact]
    public void InvalidBaseImagePlatformFiresForEachPlatformOfAMultiPlatformBuildThatDiffers()
    {
        var finding = Single("InvalidBaseImagePlatform", "FROM busybox\n", bound =>
            [new BaseImagePlatform("busybox", "linux/amd64", "linux/amd64", bound.Stages[0].Span), new BaseImagePlatform("busybox", "linux/arm64", "linux/amd64", bound.Stages[0].Span)]);
        Assert.Equal("Base image busybox was pulled with platform \"linux/amd64\", expected \"linux/arm64\" for current build", finding.Message);
    }

    [Fact]
    public void InvalidBaseImagePlatformIgnoresTheVariant() =>
        Assert.DoesNotContain(
            Run("FROM arm32v6/alpine\n", bound => [new BaseImagePlatform("arm32v6/alpine", "linux/arm/v7", "linux/arm/v6", bound.Stages[0].Span)]),
            f => f.RuleName == "InvalidBaseImagePlatform");

    [Fact]
    public void InvalidBaseImagePlatformNeedsWhatABuildResolved() =>
        Assert.DoesNotContain(Run("FROM --platform=linux/arm64 alpine\n"), f => f.RuleName == "InvalidBaseImagePlatform");

    [Fact]
    public void TheNewRulesAreSkippedByName()
    {
        const string dockerfile = "FROM --platform=$TARGETPLATFORM alpine AS a\nFROM --platform=linux/amd64 alpine AS b\nEXPOSE 80:80\n";
        Assert.Equal(["RedundantTargetPlatform", "InvalidBaseImagePlatform", "FromPlatformFlagConstDisallowed", "ExposeInvalidFormat"], Run(dockerfile, Mismatch).Select(f => f.RuleName));
        Assert.Empty(Run("# check=skip=RedundantTargetPlatform,FromPlatformFlagConstDisallowed,ExposeInvalidFormat,InvalidBaseImagePlatform\n" + dockerfile, Mismatch));
    }

    [Fact]
    public void EveryRuleHasBuildKitsDescriptionAndPage()
    {
        Assert.Equal(22, BuildChecks.Rules.Count);
        Assert.Equal(BuildChecks.RuleNames, BuildChecks.Rules.Select(r => r.Name));
        Assert.Equal(
            new CheckRule("FromPlatformFlagConstDisallowed", "FROM --platform flag should not use a constant value", "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/", false),
            BuildChecks.Rules.Single(r => r.Name == "FromPlatformFlagConstDisallowed"));
        Assert.Equal("https://docs.docker.com/go/dockerfile/rule/json-args-recommended/", BuildChecks.Rules.Single(r => r.Name == "JSONArgsRecommended").Url);
        Assert.Null(BuildChecks.Rules.Single(r => r.Name == "InvalidBaseImagePlatform").Url);
        Assert.Equal(["CopyIgnoredFile", "InvalidDefinitionDescription"], BuildChecks.Rules.Where(r => r.IsExperimental).Select(r => r.Name));
    }

    private static IReadOnlyCollection<BaseImagePlatform> Mismatch(BoundDockerfile bound) =>
        [new BaseImagePlatform("alpine", "linux/amd64", "linux/arm64", bound.Stages[1].Span)];
}
