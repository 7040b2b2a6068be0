using Dockerbuild.Dockerfile.Expansion;

namespace Dockerbuild.Dockerfile.Tests.Expansion;

/// <summary>Behaviour beyond the BuildKit corpus: the backtick escape, the lexer options BuildKit's
/// dispatcher uses, shell trimming idioms, and Go's ReplaceAll rule for empty matches.</summary>
public sealed class ShellLexerTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["PWD"] = "/home",
        ["FILE"] = "archive.tar.gz",
        ["PATHS"] = "a/b/c",
    };

    [Theory]
    [InlineData("he`$PWD", "he$PWD")]
    [InlineData("\"a`\"b\"", "a\"b")]
    [InlineData(@"C:\path\$PWD", @"C:\path\/home")]
    [InlineData("x`", "x")]
    public void BacktickIsTheEscapeCharacterWhenTheDirectiveSaysSo(string word, string expected) =>
        Assert.Equal(expected, new ShellLexer('`').ProcessWord(word, Env).Result);

    [Theory]
    [InlineData("${FILE%.*}", "archive.tar")]
    [InlineData("${FILE%%.*}", "archive")]
    [InlineData("${PATHS#*/}", "b/c")]
    [InlineData("${PATHS##*/}", "c")]
    [InlineData("${PATHS/\\//-}", "a-b/c")]
    [InlineData("${PATHS//\\//-}", "a-b-c")]
    public void PatternOperatorsTrimAndReplaceAsTheShellDoes(string word, string expected) =>
        Assert.Equal(expected, new ShellLexer().ProcessWord(word, Env).Result);

    [Fact]
    public void ReplaceAllDoesNotReplaceTheEmptyMatchRightAfterAMatch() =>
        Assert.Equal("x", new ShellLexer().ProcessWord("${PWD//*/x}", Env).Result);

    [Fact]
    public void SkipUnsetEnvLeavesUnsetReferencesAsWritten()
    {
        var lexer = new ShellLexer { SkipUnsetEnv = true };
        Assert.Equal("$NOPE ${NOPE} ${NOPE:-d} /home", lexer.ProcessWord("$NOPE ${NOPE} ${NOPE:-d} $PWD", Env).Result);
    }

    [Fact]
    public void RawQuotesAndEscapesKeepTheTextAsWrittenButStillExpand()
    {
        var lexer = new ShellLexer { RawQuotes = true, RawEscapes = true };
        Assert.Equal("\"/home\" '$PWD' \\$PWD", lexer.ProcessWord("\"$PWD\" '$PWD' \\$PWD", Env).Result);
    }

    [Fact]
    public void ErrorsNameTheWordAndTheProblem()
    {
        var error = Assert.Throws<ExpansionException>(() => new ShellLexer().ProcessWord("${NOPE:?must be set}", Env));
        Assert.Equal("failed to process \"${NOPE:?must be set}\": NOPE: must be set", error.Message);
    }

    [Fact]
    public void MatchedAndUnmatchedIncludeNamesInUnusedAlternatives()
    {
        var result = new ShellLexer().ProcessWord("${PWD:+${NOPE}}", Env);
        Assert.Equal(["PWD"], result.Matched);
        Assert.Equal(["NOPE"], result.Unmatched);
    }
}
