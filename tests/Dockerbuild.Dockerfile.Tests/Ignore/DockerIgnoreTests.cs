using Dockerbuild.Dockerfile.Ignore;

namespace Dockerbuild.Dockerfile.Tests.Ignore;

/// <summary>The examples of the Dockerfile reference (".dockerignore file") and moby's ignorefile tests.</summary>
public sealed class DockerIgnoreTests
{
    [Fact]
    public void ReadingAFileTrimsSkipsCommentsAndMakesPatternsRelative()
    {
        // moby/patternmatcher ignorefile TestReadAll.
        const string content = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! ";
        Assert.Equal(
            ["test1", "test2", "a/file/here", "lastfile", "!inverted/abs/path", "!", "!"],
            DockerIgnore.ReadPatternLines(content));
    }

    [Fact]
    public void AByteOrderMarkAndCrlfLineEndsAreIgnored() =>
        Assert.Equal(["a", "b/c"], DockerIgnore.ReadPatternLines("\uFEFFa\r\nb//c/\r\n"));

    [Fact]
    public void ALoneExclamationMarkIsAnError() =>
        Assert.Throws<IgnorePatternException>(() => DockerIgnore.Parse("*.md\n!\n"));

    [Theory]
    [InlineData("somedir/temporary.txt", true)]
    [InlineData("somedir/temp", true)]
    [InlineData("somedir/temp/inner.txt", true)]
    [InlineData("somedir/subdir/temporary.txt", true)]
    [InlineData("tempa", true)]
    [InlineData("tempab", false)]
    [InlineData("temporary.txt", false)]
    public void TheReferenceExampleExcludesWhatItSays(string path, bool excluded)
    {
        var ignore = DockerIgnore.Parse("# comment\n*/temp*\n*/*/temp*\ntemp?\n");
        Assert.Equal(excluded, ignore.IsExcluded(path));
    }

    [Theory]
    [InlineData("*.md\n!README.md\n", "README.md", false)]
    [InlineData("*.md\n!README.md\n", "CHANGES.md", true)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md\n", "README-secret.md", true)]
    [InlineData("*.md\n!README*.md\nREADME-secret.md\n", "README-public.md", false)]
    [InlineData("*.md\nREADME-secret.md\n!README*.md\n", "README-secret.md", false)]
    public void TheLastMatchingPatternWins(string file, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(file).IsExcluded(path));

    [Theory]
    [InlineData("a.go", true)]
    [InlineData("x/y/z.go", true)]
    [InlineData("x/y/z.gox", false)]
    public void DoubleStarMatchesAnyNumberOfDirectories(string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse("**/*.go").IsExcluded(path));

    [Fact]
    public void TheContextRootIsNeverExcluded() =>
        Assert.False(DockerIgnore.Parse("**\n.\n").IsExcluded("."));

    [Fact]
    public void PatternsAndPathsAreCleaned()
    {
        var ignore = DockerIgnore.Parse("./docs/../build//\n");
        Assert.Equal("build", Assert.Single(ignore.Patterns).Text);
        Assert.True(ignore.IsExcluded("build/./out/"));
    }

    [Fact]
    public void AnExcludedDirectoryWithoutExceptionsCanBeSkipped()
    {
        var ignore = DockerIgnore.Parse("node_modules\n*.log\n");
        Assert.True(ignore.CanSkipDirectory("node_modules"));
        Assert.False(ignore.CanSkipDirectory("src"));
    }

    [Fact]
    public void AnExceptionBelowAnExcludedDirectoryMeansItMustBeWalked()
    {
        var ignore = DockerIgnore.Parse("docs\n!docs/README.md\nbuild\n");
        Assert.True(ignore.IsExcluded("docs"));
        Assert.False(ignore.CanSkipDirectory("docs"));
        Assert.True(ignore.IsExcluded("docs/other.md"));
        Assert.False(ignore.IsExcluded("docs/README.md"));
        Assert.True(ignore.CanSkipDirectory("build"));
    }

    [Fact]
    public void AnExceptionWithALeadingWildcardKeepsEveryExcludedDirectoryWalkable()
    {
        var ignore = DockerIgnore.Parse("**\n!**/*.csproj\n");
        Assert.False(ignore.CanSkipDirectory("src/app"));
        Assert.False(ignore.IsExcluded("src/app/app.csproj"));
        Assert.True(ignore.IsExcluded("src/app/Program.cs"));
    }

    [Fact]
    public void CopyExcludePatternsAreUsedAsGiven()
    {
        var exclude = DockerIgnore.FromPatterns(["*.txt", "!keep.txt"]);
        Assert.True(exclude.IsExcluded("notes.txt"));
        Assert.False(exclude.IsExcluded("keep.txt"));
        Assert.True(exclude.HasExceptions);
    }
}
