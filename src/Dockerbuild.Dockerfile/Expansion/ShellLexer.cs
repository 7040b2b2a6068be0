namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>
/// Shell-like word expansion as BuildKit's <c>shell.Lex</c> does it: quotes, escapes, <c>$VAR</c>,
/// <c>${VAR}</c> and the <c>${VAR...}</c> operators. Throws <see cref="ExpansionException"/> on bad input.
/// </summary>
public sealed class ShellLexer(char escapeToken = '\\')
{
    public char EscapeToken { get; } = escapeToken;

    /// <summary>Expands one word (quotes removed), as ENV, LABEL, WORKDIR, USER ... do.</summary>
    public ExpansionResult ProcessWord(string word, IReadOnlyDictionary<string, string> env) =>
        throw new NotImplementedException();

    /// <summary>Expands and then splits into words: unquoted expansion results split on whitespace.</summary>
    public IReadOnlyList<string> ProcessWords(string text, IReadOnlyDictionary<string, string> env) =>
        throw new NotImplementedException();
}
