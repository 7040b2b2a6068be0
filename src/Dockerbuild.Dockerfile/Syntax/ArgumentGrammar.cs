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

    // FROM, EXPOSE, and ADD/COPY/VOLUME in shell form: split on runs of [\t\v\f\r ], quotes not special.
    private static readonly Parser<char, IEnumerable<string>> SpaceSeparated =
        TokenSpaces.Then(TokenWord.Before(TokenSpaces).Many()).Before(End);

    // Legacy `ENV name value...`: the name, blanks, then the whole rest (from the offset) as the value.
    private static readonly Parser<char, (string Name, int ValueOffset)> LegacyPair = Map(
        (name, offset) => (name, offset),
        TokenWord.Before(Token(CommandGrammar.IsTokenSpace).SkipAtLeastOnce().Labelled("a value after the name")),
        CurrentOffset);

    // HEALTHCHECK: the type word (CMD, NONE, ...), then the rest as for CMD.
    private static readonly Parser<char, (string Type, int CommandOffset)> TypeAndRest = Map(
        (type, offset) => (type, offset),
        Token(c => !char.IsWhiteSpace(c)).SkipAtLeastOnce().Slice((span, _) => span.ToString()),
        SkipWhitespaces.Then(CurrentOffset));

    public static IReadOnlyList<string> SplitOnSpaces(string text) => SpaceSeparated.ParseOrThrow(text).ToArray();

    /// <summary>Name and value, or the offset where a value was expected.</summary>
    public static (string Name, string Value)? LegacyNameValue(string text, out int errorOffset)
    {
        var result = LegacyPair.Parse(text);
        errorOffset = result.Success ? 0 : result.Error!.ErrorOffset;
        return result.Success ? (result.Value.Name, text[result.Value.ValueOffset..]) : null;
    }

    public static (string Type, int CommandOffset, string Command) HealthcheckType(string text)
    {
        var (type, offset) = TypeAndRest.ParseOrThrow(text);
        return (type, offset, text[offset..]);
    }
}
