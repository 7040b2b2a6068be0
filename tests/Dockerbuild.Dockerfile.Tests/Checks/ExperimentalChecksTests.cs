using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Ignore;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Checks;

/// <summary>
/// BuildKit's experimental rules, CopyIgnoredFile and InvalidDefinitionDescription: off unless
/// <c># check=experimental=...</c> (or BUILDKIT_DOCKERFILE_CHECK) names them, whatever <c>skip</c> says.
/// Cases and texts from BuildKit's lint tests and docs.docker.com/reference/build-checks.
/// </summary>
public sealed class ExperimentalChecksTests
{
    private const string Descriptions = """
        # check=experimental=InvalidDefinitionDescription
        # bar this is the bar
        ARG foo=bar
        # BasE this is the BasE image
        FROM scratch AS base
        # definitely a bad comment
        ARG version=latest
        # definitely a bad comment
        ARG baz=quux

        """;

    private static IReadOnlyList<CheckFinding> Run(string dockerfile, DockerIgnore? ignore = null, IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        var syntax = DockerfileParser.Parse(dockerfile, "Dockerfile");
        return BuildChecks.Run(syntax, DockerfileBinder.Bind(syntax), buildArgs, contextIgnore: ignore);
    }

    [Fact]
    public void InvalidDefinitionDescriptionFiresWhenTheCommentDoesNotStartWithTheName()
    {
        var findings = Run(Descriptions);
        Assert.All(findings, f => Assert.Equal("InvalidDefinitionDescription", f.RuleName));
        Assert.Equal(
            ["Comment for ARG should follow the format: `# foo <description>`",
             "Comment for FROM should follow the format: `# base <description>`",
             "Comment for ARG should follow the format: `# version <description>`",
             "Comment for ARG should follow the format: `# baz <description>`"],
            findings.Select(f => f.Message));
        Assert.Equal([3, 5, 7, 9], findings.Select(f => f.Span.StartLine));
    }

    [Fact]
    public void InvalidDefinitionDescriptionIsOffByDefault() =>
        Assert.Empty(Run(Descriptions.Replace("# check=experimental=InvalidDefinitionDescription\n", "", StringComparison.Ordinal)));

    [Theory]
    // The docs' good examples: descriptions naming the stage or key, and unrelated comments set apart by a blank line.
    [InlineData("# base is a stage for compiling source\nFROM scratch AS base\n# VERSION This is the version number.\nARG VERSION=1\n")]
    [InlineData("# a non-descriptive comment\n\nFROM scratch AS base\n\n# another non-descriptive comment\n\nARG VERSION=1\n")]
    // An empty comment line ends the comments before it; the parser directive is not a comment.
    [InlineData("# not a description\n#\nFROM scratch AS base\n")]
    [InlineData("ARG A\nFROM scratch\n")]
    // Unnamed stages and other instructions have no description.
    [InlineData("# just a comment\nFROM scratch\n# another\nRUN true\n")]
    // Only the last comment line counts.
    [InlineData("FROM scratch\n# first line of prose\n# B the second argument\nARG A B\n")]
    public void InvalidDefinitionDescriptionSilent(string dockerfile) =>
        Assert.Empty(Run("# check=experimental=InvalidDefinitionDescription\n" + dockerfile));

    [Fact]
    public void InvalidDefinitionDescriptionNamesAPlaceholderForSeveralKeys()
    {
        var finding = Assert.Single(Run("# check=experimental=all\nFROM scratch\n# some prose\nARG A B\n"));
        Assert.Equal("Comment for ARG should follow the format: `# <arg_key> <description>`", finding.Message);
    }

    private const string IgnoredCopies = "FROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n";

    [Theory]
    [InlineData("# check=experimental=CopyIgnoredFile\n")]
    [InlineData("# check=skip=all;experimental=CopyIgnoredFile\n")]
    public void CopyIgnoredFileFiresForContextSourcesTheDockerignoreExcludes(string directive)
    {
        var findings = Run(directive + IgnoredCopies, DockerIgnore.Parse("\nDockerfile\n"));
        Assert.Equal(
            [("CopyIgnoredFile", "Attempting to Copy file \"Dockerfile\" that is excluded by .dockerignore", 3),
             ("CopyIgnoredFile", "Attempting to Add file \"Dockerfile\" that is excluded by .dockerignore", 4)],
            findings.Select(f => (f.RuleName, f.Message, f.Span.StartLine)));
    }

    [Fact]
    public void CopyIgnoredFileIsOffByDefaultAndWithoutADockerignore()
    {
        Assert.Empty(Run(IgnoredCopies, DockerIgnore.Parse("Dockerfile\n")));
        Assert.Empty(Run("# check=experimental=CopyIgnoredFile\n" + IgnoredCopies));
        var byBuildArg = Run(IgnoredCopies, DockerIgnore.Parse("Dockerfile\n"), new Dictionary<string, string> { ["BUILDKIT_DOCKERFILE_CHECK"] = "experimental=CopyIgnoredFile" });
        Assert.Equal([2, 3], byBuildArg.Select(f => f.Span.StartLine));
    }

    [Theory]
    // Files copied from a stage are not the context's.
    [InlineData("FROM scratch AS base\nCOPY Dockerfile /foobar\n\nFROM base\nCOPY --from=base /foobar /Dockerfile\n", "foobar\n")]
    // With ! exceptions BuildKit cannot tell statically, so it does not judge.
    [InlineData("FROM scratch\nCOPY docs/readme.md /\n", "docs\n!docs/readme.md\n")]
    public void CopyIgnoredFileSilent(string dockerfile, string ignore) =>
        Assert.Empty(Run("# check=experimental=CopyIgnoredFile\n" + dockerfile, DockerIgnore.Parse(ignore)));

    [Fact]
    public void ExpandedSourcesAndParentDirectoriesCount()
    {
        var finding = Assert.Single(Run("# check=experimental=CopyIgnoredFile\nFROM scratch\nARG DIR=build\nCOPY ./${DIR}/out.bin /\n", DockerIgnore.Parse("build\n")));
        Assert.Equal("Attempting to Copy file \"build/out.bin\" that is excluded by .dockerignore", finding.Message);
    }
}
