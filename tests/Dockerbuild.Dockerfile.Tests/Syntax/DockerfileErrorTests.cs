using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Syntax;

/// <summary>A malformed Dockerfile gives one DockerfileException naming file, line, column and what was expected.</summary>
public sealed class DockerfileErrorTests
{
    [Theory]
    [InlineData("FROM a\nENV PATH\n", 2, 9, "ENV must have two arguments: expected a value after the name PATH")]
    [InlineData("FROM a\nLABEL  x\n", 2, 9, "LABEL must have two arguments: expected a value after the name x")]
    [InlineData("FROM a\nENV a=1 \\\n  b c=2\n", 3, 3, "Syntax error - can't find = in \"b\": expected the form name=value")]
    [InlineData("FROM a\nCMD [\"a\", 1]\n", 2, 11, "when using JSON array syntax, arrays must be comprised of strings only: expected a JSON string")]
    [InlineData("FROM a\nHEALTHCHECK CMD [\"a\", [\"b\"]]\n", 2, 23, "when using JSON array syntax, arrays must be comprised of strings only: expected a JSON string")]
    [InlineData("FROM a\nRUN <<EOF\necho\n", 2, 1, "unterminated heredoc: expected a line reading EOF before the end of the file")]
    [InlineData("# only a comment\n\n", 2, 1, "file with no instructions: expected at least one instruction such as FROM")]
    [InlineData("# escape=`\n# Escape=\\\nFROM a\n", 2, 1, "only one escape parser directive can be used: expected each directive at most once")]
    [InlineData("# escape=x\nFROM a\n", 1, 1, "invalid escape token 'x' does not match ` or \\: expected ` or \\")]
    public void MalformedFileGivesOneLocatedError(string text, int line, int column, string reason)
    {
        var error = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse(text, "app/Dockerfile"));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(("app/Dockerfile", line, column), (error.Span.File, error.Span.StartLine, error.Span.StartColumn));
        Assert.Equal($"app/Dockerfile:{line}:{column}: {reason}", error.Message);
    }

    [Fact]
    public void EmptyFileIsRejectedAtLineOne()
    {
        var error = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse(string.Empty, "Dockerfile"));

        Assert.Equal("Dockerfile:1:1: file with no instructions: expected at least one instruction such as FROM", error.Message);
    }

    [Fact]
    public void DeeplyNestedJsonIsShellFormNotAStackOverflow()
    {
        var text = "CMD " + new string('[', 200_000) + "\n";

        var cmd = DockerfileParser.Parse(text, "Dockerfile").Instructions.Single();

        Assert.False(cmd.IsJsonForm);
    }

    [Fact]
    public void OnbuildNestingIsBoundedWithALocatedError()
    {
        var text = "FROM a\n" + string.Concat(Enumerable.Repeat("ONBUILD ", 100_000)) + "RUN x\n";

        var error = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse(text, "Dockerfile"));

        Assert.Equal("Dockerfile:2:129: ONBUILD nested too deeply: expected at most 16 levels", error.Message);
    }

    [Fact]
    public void OnbuildNestingWithinTheBoundDumpsAsBuildKit()
    {
        var text = "FROM a\nONBUILD ONBUILD ONBUILD RUN x\n";

        Assert.Equal("(from \"a\")\n(onbuild (onbuild (onbuild (run \"x\"))))\n", AstDump.Format(DockerfileParser.Parse(text, "Dockerfile")));
    }
}
