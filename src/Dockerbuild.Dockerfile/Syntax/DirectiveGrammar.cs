using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// A parser directive line, <c># name = value</c>, as BuildKit's directive parser reads it:
/// a letter-led alphanumeric name, then <c>=</c>, then the value with trailing blanks dropped.
/// Only <c>syntax</c>, <c>escape</c> and <c>check</c> are directives; any other line ends the directives.
/// </summary>
internal static class DirectiveGrammar
{
    private static readonly char[] GoSpaceChars = ['\t', '\n', '\f', '\r', ' '];

    // Go's regexp \s: no vertical tab, no Unicode spaces.
    private static readonly Parser<char, Unit> GoSpaces = Token(IsGoSpace).SkipMany();

    private static readonly Parser<char, string> Name =
        Token(char.IsAsciiLetter).Then(Token(char.IsAsciiLetterOrDigit).SkipMany())
            .Slice((span, _) => span.ToString().ToLowerInvariant())
            .Where(name => name is "syntax" or "escape" or "check")
            .Labelled("a directive name (syntax, escape or check)");

    // The value is lazily matched before trailing blanks; when only blanks follow '=', Go's backtracking
    // leaves the last of them as the value.
    private static readonly Parser<char, string> Value = Map(
            (blanks, rest) => rest.TrimEnd(GoSpaceChars) is { Length: > 0 } value ? value : blanks.Length > 0 ? blanks[^1..] : string.Empty,
            Token(IsGoSpace).SkipMany().Slice((span, _) => span.ToString()),
            Any.SkipMany().Slice((span, _) => span.ToString()))
        .Where(value => value.Length > 0)
        .Labelled("a directive value");

    private static readonly Parser<char, (string Name, string Value)> Directive =
        SkipWhitespaces
            .Then(Char('#'))
            .Then(SkipWhitespaces)
            .Then(Map((name, value) => (name, value), Name.Before(GoSpaces).Before(Char('=')), Value));

    /// <summary>The directive on this line, or null when the line is not one (which ends the directives).</summary>
    public static (string Name, string Value)? TryParse(ReadOnlySpan<char> line)
    {
        var result = Directive.Parse(line);
        return result.Success ? result.Value : null;
    }

    private static bool IsGoSpace(char c) => c is '\t' or '\n' or '\f' or '\r' or ' ';
}
