using System.Text;
using System.Text.RegularExpressions;

namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>
/// The glob patterns of <c>${VAR#p}</c>, <c>${VAR%p}</c> and <c>${VAR/p/r}</c>, turned into regular
/// expressions the way BuildKit does: <c>*</c> and <c>?</c> are wildcards, <c>\</c> escapes them, no
/// bracket expressions. Matching follows Go's regexp (leftmost-first, linear time), hence the
/// non-backtracking engine, and Go's ReplaceAll rules for empty matches and <c>$</c> templates.
/// </summary>
internal static class ShellPattern
{
    // Go's "." is one code point other than a newline, so a surrogate pair is taken whole.
    private const string AnyRune = @"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\n])";

    public static string TrimPrefix(string pattern, string value, bool greedy)
    {
        var match = Compile(pattern, greedy, anchored: true).Match(value);
        return match.Success ? value[(match.Index + match.Length)..] : value;
    }

    /// <summary>A regular expression cannot find the shortest rightmost match, so the value and the
    /// pattern are both reversed (keeping escapes in front of what they escape) and the prefix trimmed.</summary>
    public static string TrimSuffix(string pattern, string value, bool greedy) =>
        ReverseRunes(TrimPrefix(ReversePattern(pattern), ReverseRunes(value), greedy));

    public static string Replace(string value, string pattern, string replacement, bool replaceAll)
    {
        var regex = Compile(pattern, greedy: true, anchored: false);
        if (!replaceAll)
        {
            var first = regex.Match(value);
            return first.Success
                ? string.Concat(value.AsSpan(0, first.Index), replacement, value.AsSpan(first.Index + first.Length))
                : value;
        }

        var result = new StringBuilder();
        var lastMatchEnd = 0;
        var searchPos = 0;
        while (searchPos <= value.Length)
        {
            var match = regex.Match(value, searchPos);
            if (!match.Success)
            {
                break;
            }

            var end = match.Index + match.Length;
            result.Append(value, lastMatchEnd, match.Index - lastMatchEnd);

            // An empty match right after another match is not replaced again.
            if (end > lastMatchEnd || match.Index == 0)
            {
                AppendTemplate(result, replacement, match.Value);
            }

            lastMatchEnd = end;

            var width = searchPos >= value.Length ? 0 : GoRunes.Width(GoRunes.At(value, searchPos));
            if (searchPos + width > end)
            {
                searchPos += width;
            }
            else if (searchPos + 1 > end)
            {
                searchPos++;
            }
            else
            {
                searchPos = end;
            }
        }

        result.Append(value, lastMatchEnd, value.Length - lastMatchEnd);
        return result.ToString();
    }

    private static Regex Compile(string pattern, bool greedy, bool anchored)
    {
        var runes = GoRunes.Split(pattern);
        var start = runes.Length > 0 && runes[0] == 0xFEFF ? 1 : 0;
        var regex = new StringBuilder(pattern.Length + 8);
        if (anchored)
        {
            regex.Append('^');
        }

        for (var i = start; i < runes.Length; i++)
        {
            var tok = runes[i];
            switch (tok)
            {
                case '*':
                    regex.Append(AnyRune).Append(greedy ? "*" : "*?");
                    continue;
                case '?':
                    regex.Append(AnyRune);
                    continue;
                case '\\':
                    // An escaped } or / belongs to the ${...} syntax, not to the pattern.
                    var next = i + 1 < runes.Length ? runes[i + 1] : -1;
                    if (next is '}' or '/')
                    {
                        continue;
                    }

                    regex.Append('\\');
                    i++;
                    tok = next;
                    if (tok is not ('*' or '?' or '\\'))
                    {
                        var shown = tok < 0 ? "\uFFFD" : char.ConvertFromUtf32(tok);
                        throw new ExpansionException($"invalid pattern ({pattern}) in substitution: invalid escape '\\{shown}'");
                    }

                    break;
                case '[' or ']' or '{' or '}' or '.' or '+' or '(' or ')' or '|' or '^' or '$':
                    regex.Append('\\');
                    break;
            }

            GoRunes.Append(regex, tok);
        }

        return new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    /// <summary>Go's <c>Regexp.Expand</c> for a pattern without groups: <c>$$</c> is a dollar,
    /// <c>$0</c>/<c>${0}</c> the whole match, any other well-formed <c>$name</c> nothing, and a
    /// malformed one stays literal.</summary>
    private static void AppendTemplate(StringBuilder result, string template, string match)
    {
        var i = 0;
        while (i < template.Length)
        {
            var dollar = template.IndexOf('$', i);
            if (dollar < 0)
            {
                break;
            }

            result.Append(template, i, dollar - i);
            i = dollar + 1;
            if (i < template.Length && template[i] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }

            if (!TryExtractName(template, i, out var name, out var rest))
            {
                result.Append('$');
                continue;
            }

            i = rest;
            if (name == "0")
            {
                result.Append(match);
            }
        }

        result.Append(template, i, template.Length - i);
    }

    private static bool TryExtractName(string template, int start, out string name, out int rest)
    {
        name = "";
        rest = start;
        var i = start;
        var brace = i < template.Length && template[i] == '{';
        if (brace)
        {
            i++;
        }

        var nameStart = i;
        while (i < template.Length)
        {
            var rune = GoRunes.At(template, i);
            if (!GoRunes.IsLetter(rune) && !GoRunes.IsDigit(rune) && rune != '_')
            {
                break;
            }

            i += GoRunes.Width(rune);
        }

        if (i == nameStart)
        {
            return false;
        }

        name = template[nameStart..i];
        if (brace)
        {
            if (i >= template.Length || template[i] != '}')
            {
                return false;
            }

            i++;
        }

        rest = i;
        return true;
    }

    private static string ReverseRunes(string text)
    {
        var runes = GoRunes.Split(text);
        Array.Reverse(runes);
        return GoRunes.Join(runes);
    }

    private static string ReversePattern(string pattern)
    {
        var runes = GoRunes.Split(pattern);
        var reversed = new int[runes.Length];
        var last = runes.Length - 1;
        for (var i = 0; i <= last;)
        {
            var outIndex = last - i;
            if (runes[i] == '\\' && i != last)
            {
                reversed[outIndex - 1] = runes[i];
                reversed[outIndex] = runes[i + 1];
                i += 2;
            }
            else
            {
                reversed[outIndex] = runes[i];
                i++;
            }
        }

        return GoRunes.Join(reversed);
    }
}
