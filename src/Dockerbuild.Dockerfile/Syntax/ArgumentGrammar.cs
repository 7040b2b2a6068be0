using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>The escape-independent argument shapes of BuildKit's line parsers.</summary>
internal static class ArgumentGrammar
{
    private static readonly Parser<char, Unit> TokenSpaces = Token(CommandGrammar.IsTokenSpace).SkipMany();

    private static readonly Parser<char, string> TokenWord =
        Token(c => !CommandGrammar.IsTokenSpace(c)).SkipAtLeastOnce().Slice((span, _) => span.ToString());

    private static readonly Parser<char, string> Rest = Any.SkipMany().Slice((span, _) => span.ToString());

    // FROM, EXPOSE, and ADD/COPY/VOLUME in shell form: split on runs of [\t\v\f\r ], quotes not special.
    private static readonly Parser<char, IEnumerable<string>> SpaceSeparated =
        TokenSpaces.Then(TokenWord.Before(TokenSpaces).Many()).Before(End);

    // Legacy `ENV name value...`: the name, blanks, then the whole rest as the value.
    private static readonly Parser<char, (string Name, string Value)> LegacyPair = Map(
        (name, value) => (name, value),
        TokenWord.Before(Token(CommandGrammar.IsTokenSpace).SkipAtLeastOnce().Labelled("a value after the name")),
        Rest);

    // HEALTHCHECK: the type word (CMD, NONE, ...), then the rest as for CMD.
    private static readonly Parser<char, (string Type, int CommandOffset, string Command)> TypeAndRest = Map(
        (type, offset, rest) => (type, offset, rest),
        Token(c => !char.IsWhiteSpace(c)).SkipAtLeastOnce().Slice((span, _) => span.ToString()),
        SkipWhitespaces.Then(CurrentOffset),
        Rest);

    public static IReadOnlyList<string> SplitOnSpaces(string text) => SpaceSeparated.ParseOrThrow(text).ToArray();

    public static Result<char, (string Name, string Value)> LegacyNameValue(string text) => LegacyPair.Parse(text);

    public static (string Type, int CommandOffset, string Command) HealthcheckType(string text) => TypeAndRest.ParseOrThrow(text);
}
