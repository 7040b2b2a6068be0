using System.Text;
using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// Heredoc recognition as BuildKit does it (ParseHeredoc, heredocsFromLine): a word
/// <c>[n]&lt;&lt;[-]NAME</c> opens a heredoc; a quoted name (any part of it) turns expansion off;
/// <c>&lt;&lt;-</c> strips leading tabs. Only RUN, COPY and ADD in shell form read heredoc bodies.
/// </summary>
public static class Heredocs
{
    // BuildKit's ^(\d*)<<(-?)\s*([^<]*)$
    private static readonly Parser<char, (string Descriptor, bool Chomp, string NameText)> Opener = Map(
        (descriptor, chomp, rest) => (descriptor, chomp.HasValue, rest),
        Token(char.IsAsciiDigit).SkipMany().Slice((span, _) => span.ToString()),
        String("<<").Then(Char('-').Optional()),
        Token(c => c is '\t' or '\n' or '\f' or '\r' or ' ').SkipMany()
            .Then(Token(c => c != '<').SkipMany().Slice((span, _) => span.ToString()))
            .Before(End));

    // An operator written apart from its name, as in `<< EOF` or `<<- EOF`.
    private static readonly Parser<char, Unit> BareOperator =
        Token(char.IsAsciiDigit).SkipMany().Then(String("<<")).Then(Char('-').Optional()).Then(End);

    /// <summary>
    /// The heredoc a single word opens, or null when it opens none. Throws when the word looks like a
    /// heredoc but its name is malformed (an unclosed quote), citing <paramref name="where"/>.
    /// </summary>
    public static Heredoc? ParseWord(string word, SourceSpan where)
    {
        ArgumentNullException.ThrowIfNull(word);
        var error = TryParseWord(word, out var heredoc);
        return error is null ? heredoc : throw new DockerfileException(where, error);
    }

    /// <summary>The heredocs an instruction line opens, in order (bodies not yet read, so Content is empty).</summary>
    public static IReadOnlyList<Heredoc> FromLine(string line, SourceSpan where)
    {
        ArgumentNullException.ThrowIfNull(line);
        var error = TryFromLine(line, out var heredocs);
        return error is null ? heredocs : throw new DockerfileException(where, error);
    }

    /// <summary>Removes leading tabs from every line, as <c>&lt;&lt;-</c> asks (BuildKit's ChompHeredocContent).</summary>
    public static string Chomp(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var builder = new StringBuilder(content.Length);
        var atLineStart = true;
        foreach (var c in content)
        {
            if (atLineStart && c == '\t')
            {
                continue;
            }

            builder.Append(c);
            atLineStart = c == '\n';
        }

        return builder.ToString();
    }

    /// <summary>Returns an error message, or null with the heredocs found.</summary>
    internal static string? TryFromLine(string line, out IReadOnlyList<Heredoc> heredocs)
    {
        heredocs = [];

        // A line the shell lexer rejects (an unclosed quote) opens no heredoc, as in BuildKit.
        var words = ShellWordGrammar.RawLine.Split(line);
        if (words is null)
        {
            return null;
        }

        List<Heredoc>? found = null;
        for (var i = 0; i < words.Count; i++)
        {
            Heredoc? heredoc;
            string? error;
            if (i + 1 < words.Count && BareOperator.Parse(words[i]).Success)
            {
                error = TryParseWord(words[i] + " " + words[i + 1], out heredoc);
                if (error is null && heredoc is not null)
                {
                    i++;
                }
            }
            else
            {
                error = TryParseWord(words[i], out heredoc);
            }

            if (error is not null)
            {
                return error;
            }

            if (heredoc is not null)
            {
                (found ??= []).Add(heredoc);
            }
        }

        heredocs = found is null ? [] : found;
        return null;
    }

    internal static string? TryParseWord(string word, out Heredoc? heredoc)
    {
        heredoc = null;
        var opener = Opener.Parse(word);
        if (!opener.Success || opener.Value.NameText.Length == 0)
        {
            return null;
        }

        var (descriptor, chomp, rest) = opener.Value;
        var names = ShellWordGrammar.Name.Split(rest);
        var rawNames = ShellWordGrammar.RawQuotedName.Split(rest);
        if (names is null || rawNames is null)
        {
            return $"heredoc name {rest} has an unclosed quote: expected a closing quote";
        }

        if (names.Count != 1)
        {
            return null;
        }

        var name = names[0];

        // A quote that disappears when quotes are removed means part of the name was quoted.
        var expand = CountQuotes(name) == CountQuotes(rawNames[0]);
        _ = int.TryParse(descriptor, out var fileDescriptor);
        heredoc = new Heredoc(name, fileDescriptor, expand, chomp, string.Empty);
        return null;
    }

    private static int CountQuotes(string text) => text.Count(c => c is '\'' or '"');
}
