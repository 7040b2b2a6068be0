using System.Text;
using System.Text.RegularExpressions;

namespace Dockerbuild.Dockerfile.Ignore;

/// <summary>
/// One cleaned pattern of a <c>.dockerignore</c> file or a <c>COPY --exclude</c>, compiled as
/// moby/patternmatcher does: <c>*</c> and <c>?</c> stay within one path element, <c>**</c> spans any
/// number of elements, <c>[...]</c> is a character class, <c>\</c> escapes the next character.
/// Simple shapes (exact, <c>dir/**</c>, <c>**/name</c>) are compared as strings, the rest as a regular
/// expression matched with the non-backtracking engine (linear, like Go's regexp).
/// </summary>
public sealed class IgnorePattern
{
    private readonly Regex? _regex;

    internal IgnorePattern(string text, bool isException)
    {
        Text = text;
        IsException = isException;
        (Kind, GoRegex) = Compile(text);
        if (Kind == MatchKind.Regex)
        {
            try
            {
                // Go's "$" is the end of the text; .NET's would also match before a final newline.
                _regex = new Regex(GoRegex[..^1] + @"\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (ArgumentException)
            {
                throw new IgnorePatternException($"syntax error in pattern \"{text}\"");
            }
        }
    }

    internal enum MatchKind
    {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }

    /// <summary>The pattern after cleaning, without its leading <c>!</c>.</summary>
    public string Text { get; }

    /// <summary>Whether the pattern began with <c>!</c>: it re-includes what earlier patterns excluded.</summary>
    public bool IsException { get; }

    internal MatchKind Kind { get; }

    /// <summary>The regular expression in Go's syntax (what patternmatcher builds); empty unless
    /// <see cref="Kind"/> is <see cref="MatchKind.Regex"/>.</summary>
    internal string GoRegex { get; }

    public override string ToString() => IsException ? "!" + Text : Text;

    /// <summary>Whether this pattern alone matches <paramref name="path"/> (slash-separated, as is).</summary>
    public bool Matches(string path) =>
        Kind switch
        {
            MatchKind.Exact => path == Text,
            MatchKind.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal),
            MatchKind.Suffix => path.EndsWith(Text[2..], StringComparison.Ordinal)
                || (Text.Length > 2 && Text[2] == '/' && path == Text[3..]),
            _ => _regex!.IsMatch(path),
        };

    private static (MatchKind Kind, string Regex) Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        var kind = MatchKind.Exact;
        for (var (i, pos) = (0, 0); pos < pattern.Length; i++)
        {
            var ch = pattern[pos++];
            if (ch == '*')
            {
                if (pos < pattern.Length && pattern[pos] == '*')
                {
                    pos++;

                    // "**/" is the same as "**".
                    if (pos < pattern.Length && pattern[pos] == '/')
                    {
                        pos++;
                    }

                    if (pos == pattern.Length)
                    {
                        // A trailing ** matches everything below, as in .gitignore.
                        if (kind == MatchKind.Exact)
                        {
                            kind = MatchKind.Prefix;
                        }
                        else
                        {
                            regex.Append(".*");
                            kind = MatchKind.Regex;
                        }
                    }
                    else
                    {
                        // Any number of leading elements, including none.
                        regex.Append("(.*/)?");
                        kind = MatchKind.Regex;
                    }

                    if (i == 0)
                    {
                        kind = MatchKind.Suffix;
                    }
                }
                else
                {
                    regex.Append("[^/]*");
                    kind = MatchKind.Regex;
                }
            }
            else if (ch == '?')
            {
                regex.Append("[^/]");
                kind = MatchKind.Regex;
            }
            else if (ch is '.' or '+' or '(' or ')' or '|' or '{' or '}' or '$')
            {
                regex.Append('\\').Append(ch);
            }
            else if (ch == '\\')
            {
                // Escapes the next character; a trailing backslash stands for itself.
                if (pos < pattern.Length)
                {
                    regex.Append('\\');
                    AppendChar(regex, pattern, ref pos);
                    kind = MatchKind.Regex;
                }
                else
                {
                    regex.Append('\\');
                }
            }
            else if (ch is '[' or ']')
            {
                regex.Append(ch);
                kind = MatchKind.Regex;
            }
            else
            {
                regex.Append(ch);
            }
        }

        return kind == MatchKind.Regex ? (kind, regex.Append('$').ToString()) : (kind, "");
    }

    private static void AppendChar(StringBuilder regex, string pattern, ref int pos)
    {
        var ch = pattern[pos++];
        regex.Append(ch);
        if (char.IsHighSurrogate(ch) && pos < pattern.Length && char.IsLowSurrogate(pattern[pos]))
        {
            regex.Append(pattern[pos++]);
        }
    }
}
