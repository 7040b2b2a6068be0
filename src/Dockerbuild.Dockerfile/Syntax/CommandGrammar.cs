using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// Splits a joined instruction line into keyword, flags and arguments, as BuildKit's splitCommand and
/// extractBuilderFlags do. Flags are only the leading words that start with <c>--</c>; in them quotes are
/// removed and a backslash escapes the next character (whatever the file's escape character is); a lone
/// <c>--</c> ends them. What the flags mean is the binder's business.
/// </summary>
internal static class CommandGrammar
{
    private static readonly Parser<char, string> Keyword =
        Token(c => !IsTokenSpace(c)).SkipMany().Slice((span, _) => span.ToString()).Labelled("an instruction keyword");

    private static readonly Parser<char, string> BackslashEscape =
        Char('\\').Then(Any.Select(c => c.ToString()).Or(End.ThenReturn(string.Empty)));

    private static readonly Parser<char, string> FlagText =
        Token(c => !char.IsWhiteSpace(c) && c is not ('\'' or '"' or '\\')).SkipAtLeastOnce().Slice((span, _) => span.ToString());

    private static readonly Parser<char, string> FlagWord =
        Lookahead(String("--"))
            .Then(OneOf(FlagText, BackslashEscape, Quoted('\''), Quoted('"')).AtLeastOnce())
            .Select(string.Concat)
            .Labelled("a --flag");

    private static readonly Parser<char, IEnumerable<string>> Flags =
        Try(SkipWhitespaces.Then(FlagWord).Where(word => word != "--")).Many()
            .Before(Try(SkipWhitespaces.Then(FlagWord)).Optional());

    // Stops where the arguments start; they are the rest of the line, taken without another pass.
    private static readonly Parser<char, (string Keyword, int KeywordOffset, string[] Flags, int ArgumentsOffset)> Command =
        SkipWhitespaces.Then(Map(
            (keywordOffset, keyword, flags, argumentsOffset) => (keyword, keywordOffset, flags.ToArray(), argumentsOffset),
            CurrentOffset,
            Keyword,
            Token(IsTokenSpace).SkipMany().Then(Flags),
            SkipWhitespaces.Then(CurrentOffset)));

    /// <summary>BuildKit's token separator <c>[\t\v\f\r ]</c>; other Unicode spaces belong to words.</summary>
    public static bool IsTokenSpace(char c) => c is '\t' or '\v' or '\f' or '\r' or ' ';

    public static CommandLine Split(string line)
    {
        var (keyword, keywordOffset, flags, argumentsOffset) = Command.ParseOrThrow(line);
        return new CommandLine(keyword, keywordOffset, flags, line[argumentsOffset..].TrimEnd(), argumentsOffset);
    }

    // Inside quotes a backslash still escapes; an unterminated quote runs to the end of the line.
    private static Parser<char, string> Quoted(char quote) =>
        Char(quote)
            .Then(OneOf(BackslashEscape, Token(c => c != quote && c != '\\').SkipAtLeastOnce().Slice((span, _) => span.ToString())).Many())
            .Before(Char(quote).IgnoreResult().Or(End))
            .Select(string.Concat);
}
