using System.Text;
using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// The exec form: a JSON array, read the way Go's encoding/json reads it (so a text is JSON exactly
/// when BuildKit thinks so). Any JSON value is accepted as an element; whether all of them are strings
/// is for the caller to judge, because a valid array of non-strings is an error while invalid JSON is
/// simply shell form.
/// </summary>
internal static class JsonArrayGrammar
{
    // Deeper nesting than any Dockerfile needs is treated as "not JSON" before the recursive grammar
    // sees it, so hostile input cannot exhaust the stack.
    private const int MaxDepth = 64;

    private static readonly Parser<char, Unit> Ws = Token(c => c is ' ' or '\t' or '\n' or '\r').SkipMany();

    private static readonly Parser<char, char> HexDigit = Token(char.IsAsciiHexDigit).Labelled("a hex digit");

    private static readonly Parser<char, string> UnicodeEscape =
        Char('u').Then(HexDigit.Repeat(4)).Select(digits => ((char)Convert.ToUInt16(string.Concat(digits), 16)).ToString());

    private static readonly Parser<char, string> Escape =
        Char('\\').Then(OneOf(
            Char('"').ThenReturn("\""),
            Char('\\').ThenReturn("\\"),
            Char('/').ThenReturn("/"),
            Char('b').ThenReturn("\b"),
            Char('f').ThenReturn("\f"),
            Char('n').ThenReturn("\n"),
            Char('r').ThenReturn("\r"),
            Char('t').ThenReturn("\t"),
            UnicodeEscape).Labelled("a JSON escape"));

    private static readonly Parser<char, string> StringText =
        Token(c => c >= ' ' && c != '"' && c != '\\').SkipAtLeastOnce().Slice((span, _) => span.ToString());

    private static readonly Parser<char, string> JsonString =
        Char('"').Then(OneOf(StringText, Escape).Many()).Before(Char('"'))
            .Select(parts => FixSurrogates(string.Concat(parts)))
            .Labelled("a JSON string");

    private static readonly Parser<char, Unit> Digits = Token(char.IsAsciiDigit).SkipAtLeastOnce();

    private static readonly Parser<char, Unit> Number =
        Char('-').Optional()
            .Then(Char('0').IgnoreResult().Or(Token(c => c is >= '1' and <= '9').Then(Token(char.IsAsciiDigit).SkipMany())))
            .Then(Char('.').Then(Digits).Optional())
            .Then(OneOf('e', 'E').Then(OneOf('+', '-').Optional()).Then(Digits).Optional())
            .IgnoreResult()
            .Labelled("a JSON number");

    private static readonly Parser<char, Unit> Literal =
        OneOf(String("true"), String("false"), String("null")).IgnoreResult();

    private static readonly Parser<char, string?> Value = Rec(() => ValueCore!);

    private static readonly Parser<char, string?> ValueCore = OneOf(
        JsonString.Select(text => (string?)text),
        Number.ThenReturn((string?)null),
        Literal.ThenReturn((string?)null),
        Container('[', Value.Before(Ws)),
        Container('{', Map((_, _) => Unit.Value, JsonString.Before(Ws).Before(Char(':')).Before(Ws), Value.Before(Ws))))
        .Labelled("a JSON value");

    private static readonly Parser<char, IEnumerable<JsonArrayElement>> Array =
        Ws.Then(Char('['))
            .Then(Ws)
            .Then(Map((offset, text) => new JsonArrayElement(offset, text), CurrentOffset, Value).Before(Ws)
                .Separated(Char(',').Then(Ws)))
            .Before(Char(']'))
            .Before(Ws)
            .Before(End);

    /// <summary>The array's elements, or null when the text is not a JSON array.</summary>
    public static IReadOnlyList<JsonArrayElement>? TryParse(string text)
    {
        if (!text.StartsWith('[') || NestingDepth(text) > MaxDepth)
        {
            return null;
        }

        var result = Array.Parse(text);
        return result.Success ? result.Value.ToArray() : null;
    }

    private static Parser<char, string?> Container<T>(char open, Parser<char, T> element) =>
        Char(open).Then(Ws).Then(element.Separated(Char(',').Then(Ws))).Then(Char(open == '[' ? ']' : '}')).ThenReturn((string?)null);

    // Go's decoder turns an unpaired UTF-16 surrogate from a \u escape into U+FFFD.
    private static string FixSurrogates(string text)
    {
        var index = 0;
        while (index < text.Length && !char.IsSurrogate(text[index]))
        {
            index++;
        }

        if (index == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, index);
        for (; index < text.Length; index++)
        {
            var c = text[index];
            if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                builder.Append(c).Append(text[++index]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    // Brackets inside strings do not count.
    private static int NestingDepth(string text)
    {
        int depth = 0, max = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is '[' or '{')
            {
                max = Math.Max(max, ++depth);
            }
            else if (c is ']' or '}')
            {
                depth--;
            }
        }

        return max;
    }
}
