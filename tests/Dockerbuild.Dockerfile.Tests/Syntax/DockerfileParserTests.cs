using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Syntax;

/// <summary>Behaviours of BuildKit's parser (frontend/dockerfile/parser) the golden files do not pin down.</summary>
public sealed class DockerfileParserTests
{
    private static DockerfileSyntax Parse(string text) => DockerfileParser.Parse(text, "Dockerfile");

    private static string Dump(string text) => AstDump.Format(Parse(text));

    [Fact]
    public void CrlfLineEndingsParseLikeLf()
    {
        const string lf = "FROM a\nRUN echo \\\n  b\n# c\nCMD [\"x\"]\n";

        Assert.Equal(Dump(lf), Dump(lf.Replace("\n", "\r\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void HeredocBodyKeepsItsOwnLineEndings()
    {
        var syntax = Parse("FROM a\r\nRUN <<EOF\r\nline\r\nEOF\r\n");

        Assert.Equal("line\r\n", syntax.Instructions[1].Heredocs.Single().Content);
    }

    [Fact]
    public void LeadingByteOrderMarkIsIgnoredAndDirectivesStillCount()
    {
        var syntax = Parse("\uFEFF# escape=`\nFROM a `\n  b\n");

        Assert.Equal('`', syntax.EscapeToken);
        Assert.Equal("(from \"a\" \"b\")\n", AstDump.Format(syntax));
    }

    [Fact]
    public void DirectiveNamesAreCaseInsensitiveAndRecordedInOrder()
    {
        var syntax = Parse("# Syntax = docker/dockerfile:1\n#ESCAPE=`\n# check=skip=all;error=true\nFROM a\n");

        Assert.Equal(
            [("syntax", "docker/dockerfile:1", 1), ("escape", "`", 2), ("check", "skip=all;error=true", 3)],
            syntax.Directives.Select(d => (d.Name, d.Value, d.Span.StartLine)).ToArray());
        Assert.Equal('`', syntax.EscapeToken);
    }

    [Theory]
    [InlineData("\n# escape=`\nFROM a\n")]
    [InlineData("# a comment\n# escape=`\nFROM a\n")]
    [InlineData("# foo=bar\n# escape=`\nFROM a\n")]
    [InlineData("FROM a\n# escape=`\n")]
    public void DirectivesOnlyCountBeforeAnyOtherLine(string text)
    {
        var syntax = Parse(text);

        Assert.Empty(syntax.Directives);
        Assert.Equal('\\', syntax.EscapeToken);
    }

    [Fact]
    public void ContinuationSkipsCommentsAndRecordsBlankLines()
    {
        var run = Parse("RUN a \\\n\n  # note\n   \n b\n").Instructions.Single();

        Assert.Equal(["a  b"], run.Args);
        Assert.Equal([2, 4], run.EmptyContinuationLines);
        Assert.Equal((1, 5), (run.Span.StartLine, run.Span.EndLine));
    }

    [Fact]
    public void EscapedEscapeAtLineEndIsNotAContinuation()
    {
        Assert.Equal("(run \"a \\\\\\\\\")\n(run \"b\")\n", Dump("RUN a \\\\\nRUN b\n"));
    }

    [Fact]
    public void ContinuationAtEndOfFileEndsTheInstruction()
    {
        var run = Parse("FROM a\nRUN b \\\n\n").Instructions[1];

        Assert.Equal(["b"], run.Args);
        Assert.Equal((2, 3), (run.Span.StartLine, run.Span.EndLine));
    }

    [Fact]
    public void SpanStartsAtTheKeywordColumn()
    {
        var run = Parse("FROM a\n   RUN b\n").Instructions[1];

        Assert.Equal(new SourceSpan("Dockerfile", 2, 4, 2, 8), run.Span);
    }

    [Fact]
    public void KeywordKeepsItsCasingAndNameIsLowerCase()
    {
        var run = Parse("fRoM a\n").Instructions.Single();

        Assert.Equal(("fRoM", "from"), (run.Keyword, run.Name));
    }

    [Fact]
    public void FlagsLoseQuotesAndEscapesAndStopAtTheFirstOtherWord()
    {
        var copy = Parse("COPY --from=build --chown=\"a b\" --chmod=7\\55 src --x dst\n").Instructions.Single();

        Assert.Equal(["--from=build", "--chown=a b", "--chmod=755"], copy.Flags);
        Assert.Equal(["src", "--x", "dst"], copy.Args);
        Assert.Equal("src --x dst", copy.ArgumentText);
    }

    [Fact]
    public void ExecFormIsMarkedAndDecoded()
    {
        var cmd = Parse("CMD [\"a\\u00e9\", \"b\"]\n").Instructions.Single();

        Assert.True(cmd.IsJsonForm);
        Assert.Equal(["a\u00e9", "b"], cmd.Args);
    }

    [Fact]
    public void UnknownInstructionIsKeptForTheBinder()
    {
        var node = Parse("FROM a\nFORM b c\n").Instructions[1];

        Assert.Equal(("FORM", "b c"), (node.Keyword, node.ArgumentText));
        Assert.Empty(node.Args);
        Assert.Equal("(from \"a\")\n(form \"\")\n", Dump("FROM a\nFORM b c\n"));
    }

    [Fact]
    public void OnbuildNestsTheTriggerInstruction()
    {
        var onbuild = Parse("FROM a\nONBUILD  COPY --from=x . /\n").Instructions[1];

        var nested = Assert.IsType<InstructionNode>(onbuild.Next);
        Assert.Equal(("COPY", "--from=x"), (nested.Keyword, nested.Flags.Single()));
        Assert.Equal([".", "/"], nested.Args);
        Assert.Equal((2, 10), (nested.Span.StartLine, nested.Span.StartColumn));
        Assert.Equal("(from \"a\")\n(onbuild (copy [\"--from=x\"] \".\" \"/\"))\n", AstDump.Format(Parse("FROM a\nONBUILD  COPY --from=x . /\n")));
    }

    [Fact]
    public void OnbuildRunReadsItsHeredoc()
    {
        var syntax = Parse("FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\nUSER b\n");

        Assert.Equal(3, syntax.Instructions.Count);
        Assert.Equal("echo hi\n", syntax.Instructions[1].Heredocs.Single().Content);
        Assert.Equal("echo hi\n", syntax.Instructions[1].Next!.Heredocs.Single().Content);
        Assert.Equal((2, 4), (syntax.Instructions[1].Span.StartLine, syntax.Instructions[1].Span.EndLine));
    }

    [Theory]
    [InlineData("RUN [\"cat\", \"<<EOF\"]")]
    [InlineData("ENV A=<<EOF")]
    [InlineData("RUN '<<EOF'")]
    public void OnlyShellFormRunCopyAndAddOpenHeredocs(string line)
    {
        var syntax = Parse($"FROM a\n{line}\nEOF\n");

        Assert.Equal(3, syntax.Instructions.Count);
        Assert.All(syntax.Instructions, node => Assert.Empty(node.Heredocs));
    }

    [Fact]
    public void SeveralHeredocsOnOneLineAreReadInOrderWithDescriptors()
    {
        var copy = Parse("COPY <<A 3<<-\"B\" /dst\na\nA\n\tb\n\tB\n").Instructions.Single();

        Assert.Equal(
            [new Heredoc("A", 0, true, false, "a\n"), new Heredoc("B", 3, false, true, "\tb\n")],
            copy.Heredocs);
        Assert.Equal((1, 5), (copy.Span.StartLine, copy.Span.EndLine));
    }

    [Fact]
    public void ArgKeepsQuotesInItsWords()
    {
        Assert.Equal("(arg \"a=\\\"x y\\\"\" \"b\")\n", Dump("ARG a=\"x y\" b\n"));
    }

    [Fact]
    public void BacktickEscapeJoinsLinesAndLeavesBackslashesAlone()
    {
        Assert.Equal("(run \"dir c:\\\\  x\")\n", Dump("# escape=`\nRUN dir c:\\ `\n x\n"));
    }
}
