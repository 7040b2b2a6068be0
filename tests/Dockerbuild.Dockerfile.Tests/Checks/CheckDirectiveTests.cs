using Dockerbuild.Dockerfile.Checks;
using static Dockerbuild.Dockerfile.Tests.Checks.BuildChecksTests;

namespace Dockerbuild.Dockerfile.Tests.Checks;

/// <summary><c># check=skip=...;error=true</c> and the BUILDKIT_DOCKERFILE_CHECK build argument.</summary>
public sealed class CheckDirectiveTests
{
    private const string TwoFindings = "FROM alpine AS Base\nMAINTAINER me\n";

    [Fact]
    public void WithoutDirectiveFindingsAreWarnings()
    {
        var findings = Check(TwoFindings);
        Assert.Equal(["StageNameCasing", "MaintainerDeprecated"], findings.Select(f => f.RuleName));
        Assert.All(findings, f => Assert.False(f.IsError));
    }

    [Fact]
    public void SkipListedRules() =>
        Assert.Equal(["MaintainerDeprecated"], Check("# check=skip=StageNameCasing,FromAsCasing\n" + TwoFindings).Select(f => f.RuleName));

    [Fact]
    public void SkipAll() => Assert.Empty(Check("# check=skip=all\n" + TwoFindings));

    [Fact]
    public void ErrorTrueMakesFindingsErrors()
    {
        var findings = Check("# check=error=true\n" + TwoFindings);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.True(f.IsError));
    }

    [Fact]
    public void SkipAndErrorTogether()
    {
        var finding = Assert.Single(Check("# check=skip=MaintainerDeprecated;error=true\n" + TwoFindings));
        Assert.Equal(("StageNameCasing", true), (finding.RuleName, finding.IsError));
    }

    [Fact]
    public void TheBuildArgumentOverridesTheDirective() =>
        Assert.Empty(Check("# check=error=true\n" + TwoFindings, new Dictionary<string, string> { ["BUILDKIT_DOCKERFILE_CHECK"] = "skip=all" }));

    [Theory]
    [InlineData("# check=skip\n", "invalid check option \"skip\"")]
    [InlineData("# check=error=maybe\n", "failed to parse check option \"error=maybe\"")]
    [InlineData("# check=warn=all\n", "invalid check option \"warn\"")]
    public void AMalformedDirectiveIsAnErrorAtItsLine(string directive, string expected)
    {
        var e = Assert.Throws<DockerfileException>(() => Check(directive + TwoFindings));
        Assert.Equal(1, e.Span.StartLine);
        Assert.Contains(expected, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FindingsPrintAsFileLineColumnRuleMessage() =>
        Assert.Equal("Dockerfile:2:1: MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label", Check(TwoFindings)[1].ToString());
}
