using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// How BuildKit's parser cuts ENV, LABEL and ARG arguments into words (parseWords): words end at
/// unquoted whitespace, quotes and escapes are kept as written (they are removed later, during
/// expansion), the escape character protects the next character outside single quotes, and a lone
/// escape character at the very end is dropped. One instance per escape character, built once.
/// </summary>
internal sealed class WordGrammar
{
    private static readonly Parser<char, string> SingleQuoted =
        Char('\'').Then(Token(c => c != '\'').SkipMany()).Then(Char('\'').IgnoreResult().Or(End))
            .Slice((span, _) => span.ToString());

    // Built after the shared parsers above, which their constructors use.
    public static readonly WordGrammar Backslash = new('\\');
    public static readonly WordGrammar Backtick = new('`');

    private readonly Parser<char, IEnumerable<Word>> words;

    private WordGrammar(char escape)
    {
        // The escape and the character it protects are both kept; at the very end it is dropped.
        var escaped = Char(escape).Then(Any.Select(c => $"{escape}{c}").Or(End.ThenReturn(string.Empty)));

        var plain = Token(c => !char.IsWhiteSpace(c) && c is not ('\'' or '"') && c != escape)
            .SkipAtLeastOnce()
            .Slice((span, _) => span.ToString());

        var doubleQuoted = Map(
            (body, closing) => "\"" + string.Concat(body) + closing,
            Char('"').Then(OneOf(escaped, Token(c => c != '"' && c != escape).SkipAtLeastOnce().Slice((span, _) => span.ToString())).Many()),
            Char('"').ThenReturn("\"").Or(End.ThenReturn(string.Empty)));

        var word = Map(
            (offset, parts) => new Word(offset, string.Concat(parts)),
            CurrentOffset,
            OneOf(plain, escaped, SingleQuoted, doubleQuoted).AtLeastOnce());

        words = SkipWhitespaces.Then(word.Before(SkipWhitespaces).Many()).Before(End);
    }

    public static WordGrammar For(char escape) => escape == '`' ? Backtick : Backslash;

    /// <summary>The words of <paramref name="text"/>; an empty word (a dropped trailing escape) is left out.</summary>
    public IReadOnlyList<Word> Split(string text) =>
        words.ParseOrThrow(text).Where(word => word.Text.Length > 0).ToArray();
}
