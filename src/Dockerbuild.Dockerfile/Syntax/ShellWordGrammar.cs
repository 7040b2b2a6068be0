using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// Just enough of BuildKit's shell lexer (with unset variables left as written) to find heredoc words:
/// words end at unquoted whitespace, quotes must be closed, a backslash escapes. "Raw" keeps quotes or
/// escapes in the result, as BuildKit's RawQuotes and RawEscapes do. Expansion itself lives elsewhere.
/// </summary>
internal sealed class ShellWordGrammar
{
    // $name stays as written (no variable is set here); ${...} must be closed, or the lexer fails.
    private static readonly Parser<char, string> Dollar =
        Char('$')
            .Then(Char('{').Then(Token(c => c is not ('{' or '}' or ':'))).Then(Token(c => c != '}').SkipMany()).Then(Char('}')).Optional())
            .Slice((span, _) => span.ToString())
            .Labelled("a variable");

    // Built after the shared parsers above, which their constructors use.
    /// <summary>How BuildKit reads a whole instruction line when looking for heredocs.</summary>
    public static readonly ShellWordGrammar RawLine = new(rawQuotes: true, rawEscapes: true);

    /// <summary>How a heredoc name is read, quotes removed.</summary>
    public static readonly ShellWordGrammar Name = new(rawQuotes: false, rawEscapes: false);

    /// <summary>How a heredoc name is read with its quotes kept (to see whether any part was quoted).</summary>
    public static readonly ShellWordGrammar RawQuotedName = new(rawQuotes: true, rawEscapes: false);

    private readonly Parser<char, IEnumerable<string>> words;

    private ShellWordGrammar(bool rawQuotes, bool rawEscapes)
    {
        var escaped = Char('\\').Then(
            Any.Select(c => rawEscapes ? $"\\{c}" : c.ToString()).Or(End.ThenReturn(rawEscapes ? "\\" : string.Empty)));

        var plain = Token(c => !char.IsWhiteSpace(c) && c is not ('\'' or '"' or '$' or '\\'))
            .SkipAtLeastOnce()
            .Slice((span, _) => span.ToString());

        var singleQuoted = Char('\'')
            .Then(Token(c => c != '\'').SkipMany().Slice((span, _) => span.ToString()))
            .Before(Char('\'').Labelled("a closing single quote"))
            .Select(body => rawQuotes ? $"'{body}'" : body);

        // In double quotes only \" \$ and \\ are escapes; any other backslash stays as written.
        var quotedEscape = Char('\\').Then(
            OneOf('"', '$', '\\').Select(c => rawEscapes ? $"\\{c}" : c.ToString()).Or(Return("\\")));

        var doubleQuoted = Char('"')
            .Then(OneOf(Dollar, quotedEscape, Token(c => c is not ('"' or '\\' or '$')).SkipAtLeastOnce().Slice((span, _) => span.ToString())).Many())
            .Before(Char('"').Labelled("a closing double quote"))
            .Select(parts => rawQuotes ? "\"" + string.Concat(parts) + "\"" : string.Concat(parts));

        var word = OneOf(plain, escaped, Dollar, singleQuoted, doubleQuoted).AtLeastOnce().Select(string.Concat);

        words = SkipWhitespaces.Then(word.Before(SkipWhitespaces).Many()).Before(End);
    }

    /// <summary>The words, or null when the lexer would fail (an unclosed quote or <c>${</c>).</summary>
    public IReadOnlyList<string>? Split(string text)
    {
        var result = words.Parse(text);
        return result.Success ? result.Value.Where(word => word.Length > 0).ToArray() : null;
    }
}
