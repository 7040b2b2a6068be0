using System.Collections.Immutable;

namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>
/// Shell-like word expansion as BuildKit's <c>shell.Lex</c> does it: quotes, escapes, <c>$VAR</c>,
/// <c>${VAR}</c> and the <c>${VAR...}</c> operators. Throws <see cref="ExpansionException"/> on bad input.
/// An instance holds only options, so it can be shared between threads.
/// </summary>
public sealed class ShellLexer(char escapeToken = '\\')
{
    private static readonly IReadOnlySet<string> NoNames = ImmutableHashSet<string>.Empty;

    // Without any of these characters a word expands to itself, which is most words of a Dockerfile.
    private readonly string _special = "$'\"\uFEFF" + escapeToken;

    public char EscapeToken { get; } = escapeToken;

    /// <summary>Keep quote characters in the result (BuildKit's <c>RawQuotes</c>; used for heredoc bodies).</summary>
    public bool RawQuotes { get; init; }

    /// <summary>Keep escape characters in the result (BuildKit's <c>RawEscapes</c>; used for heredoc bodies).</summary>
    public bool RawEscapes { get; init; }

    /// <summary>Treat quotes as ordinary characters (BuildKit's <c>SkipProcessQuotes</c>).</summary>
    public bool SkipProcessQuotes { get; init; }

    /// <summary>Leave references to unset variables as written instead of expanding them to nothing
    /// (BuildKit's <c>SkipUnsetEnv</c>).</summary>
    public bool SkipUnsetEnv { get; init; }

    /// <summary>Expands one word (quotes removed), as ENV, LABEL, WORKDIR, USER ... do.</summary>
    public ExpansionResult ProcessWord(string word, IReadOnlyDictionary<string, string> env)
    {
        if (word.AsSpan().IndexOfAny(_special) < 0)
        {
            return new ExpansionResult(word, NoNames, NoNames);
        }

        var run = new ShellWordProcessor(this, word, env, collectWords: false);
        var (result, _) = run.Process();
        return new ExpansionResult(result, run.Matched, run.Unmatched);
    }

    /// <summary>Expands and then splits into words: unquoted expansion results split on whitespace.</summary>
    public IReadOnlyList<string> ProcessWords(string text, IReadOnlyDictionary<string, string> env)
    {
        var run = new ShellWordProcessor(this, text, env, collectWords: true);
        var (_, words) = run.Process();
        return words;
    }
}
