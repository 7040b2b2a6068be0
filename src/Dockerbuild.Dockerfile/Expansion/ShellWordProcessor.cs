using System.Text;

namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>
/// One expansion run over one word: a rune scanner plus the state BuildKit's <c>shellWord</c> keeps.
/// The control flow follows BuildKit's lexer step by step on purpose, since its quirks (which
/// characters an escape keeps, when a <c>}</c> ends a word, which names count as matched) are the
/// specification the conformance corpus checks.
/// </summary>
internal sealed class ShellWordProcessor
{
    private const int Eof = GoRunes.Eof;

    private readonly ShellLexer _options;
    private readonly string _text;
    private readonly IReadOnlyDictionary<string, string> _env;
    private readonly bool _collectWords;
    private readonly HashSet<string> _matched = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unmatched = new(StringComparer.Ordinal);
    private int _pos;
    private bool _rawEscapes;

    public ShellWordProcessor(ShellLexer options, string text, IReadOnlyDictionary<string, string> env, bool collectWords)
    {
        _options = options;
        _text = text;
        _env = env;
        _collectWords = collectWords;
        _rawEscapes = options.RawEscapes;

        // Go's text/scanner drops a byte order mark at the very start of its input.
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            _pos = 1;
        }
    }

    public IReadOnlySet<string> Matched => _matched;

    public IReadOnlySet<string> Unmatched => _unmatched;

    public (string Result, IReadOnlyList<string> Words) Process()
    {
        try
        {
            return ProcessStopOn(Eof, _rawEscapes, _collectWords);
        }
        catch (ExpansionException e)
        {
            throw new ExpansionException($"failed to process \"{_text}\": {e.Message}");
        }
    }

    private (string Result, IReadOnlyList<string> Words) ProcessStopOn(int stopChar, bool rawEscapes, bool collectWords)
    {
        var result = new StringBuilder();
        var words = collectWords ? new WordSplitter() : null;

        var saved = _rawEscapes;
        _rawEscapes = rawEscapes;
        try
        {
            while (Peek() != Eof)
            {
                var ch = Peek();
                if (stopChar != Eof && ch == stopChar)
                {
                    Next();
                    return (result.ToString(), words?.Finish() ?? []);
                }

                if (ch == '$')
                {
                    var expanded = ProcessDollar();
                    result.Append(expanded);
                    words?.AddExpanded(expanded);
                }
                else if (!_options.SkipProcessQuotes && (ch == '\'' || ch == '"'))
                {
                    var quoted = ch == '\'' ? ProcessSingleQuote() : ProcessDoubleQuote();
                    result.Append(quoted);
                    words?.AddRaw(quoted);
                }
                else
                {
                    ch = Next();
                    if (ch == _options.EscapeToken)
                    {
                        if (_rawEscapes)
                        {
                            words?.AddRaw(ch);
                            GoRunes.Append(result, ch);
                        }

                        // The escape character escapes whatever follows; at the end of the word it vanishes.
                        ch = Next();
                        if (ch == Eof)
                        {
                            break;
                        }

                        words?.AddRaw(ch);
                    }
                    else
                    {
                        words?.Add(ch);
                    }

                    GoRunes.Append(result, ch);
                }
            }

            if (stopChar != Eof)
            {
                throw new ExpansionException($"unexpected end of statement while looking for matching {char.ConvertFromUtf32(stopChar)}");
            }

            return (result.ToString(), words?.Finish() ?? []);
        }
        finally
        {
            _rawEscapes = saved;
        }
    }

    private string ProcessSingleQuote()
    {
        // Everything up to the next single quote is literal; a single quote cannot be escaped inside.
        var result = new StringBuilder();
        var ch = Next();
        if (_options.RawQuotes)
        {
            GoRunes.Append(result, ch);
        }

        while (true)
        {
            ch = Next();
            switch (ch)
            {
                case Eof:
                    throw new ExpansionException("unexpected end of statement while looking for matching single-quote");
                case '\'':
                    if (_options.RawQuotes)
                    {
                        GoRunes.Append(result, ch);
                    }

                    return result.ToString();
            }

            GoRunes.Append(result, ch);
        }
    }

    private string ProcessDoubleQuote()
    {
        // Literal except for $ expansions; the escape character only escapes ", $ and itself.
        var result = new StringBuilder();
        var ch = Next();
        if (_options.RawQuotes)
        {
            GoRunes.Append(result, ch);
        }

        while (true)
        {
            switch (Peek())
            {
                case Eof:
                    throw new ExpansionException("unexpected end of statement while looking for matching double-quote");
                case '"':
                    ch = Next();
                    if (_options.RawQuotes)
                    {
                        GoRunes.Append(result, ch);
                    }

                    return result.ToString();
                case '$':
                    result.Append(ProcessDollar());
                    break;
                default:
                    ch = Next();
                    if (ch == _options.EscapeToken)
                    {
                        if (_rawEscapes)
                        {
                            GoRunes.Append(result, ch);
                        }

                        var following = Peek();
                        if (following == Eof)
                        {
                            continue;
                        }

                        if (following == '"' || following == '$' || following == _options.EscapeToken)
                        {
                            ch = Next();
                        }
                    }

                    GoRunes.Append(result, ch);
                    break;
            }
        }
    }

    private string ProcessDollar()
    {
        Next();

        if (Peek() != '{')
        {
            var plainName = ProcessName();
            if (plainName.Length == 0)
            {
                return "$";
            }

            var found = TryGetEnv(plainName, out var plainValue);
            return !found && _options.SkipUnsetEnv ? "$" + plainName : plainValue;
        }

        Next();
        switch (Peek())
        {
            case Eof:
                throw new ExpansionException("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw new ExpansionException("syntax error: bad substitution");
        }

        var name = ProcessName();
        var ch = Next();
        var modifier = GoRunes.ToString(ch);
        var nullIsUnset = false;

        switch (ch)
        {
            case '}':
            {
                var set = TryGetEnv(name, out var value);
                return !set && _options.SkipUnsetEnv ? "${" + name + "}" : value;
            }

            case ':' or '+' or '-' or '?' or '#' or '%':
            {
                if (ch == ':')
                {
                    nullIsUnset = true;
                    ch = Next();
                    modifier += GoRunes.ToString(ch);
                    if (ch is '#' or '%')
                    {
                        throw new ExpansionException($"unsupported modifier ({modifier}) in substitution");
                    }
                }

                var word = ProcessUntilClose('}', ch == '#' || ch == '%', "syntax error: missing '}'");
                var set = TryGetEnv(name, out var value);
                if (_options.SkipUnsetEnv && !set)
                {
                    return "${" + name + modifier + word + "}";
                }

                var unsetOrNull = !set || (nullIsUnset && value.Length == 0);
                switch (ch)
                {
                    case '-':
                        return unsetOrNull ? word : value;
                    case '+':
                        return unsetOrNull ? "" : word;
                    case '?':
                        if (!set)
                        {
                            throw new ExpansionException($"{name}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                        }

                        if (nullIsUnset && value.Length == 0)
                        {
                            throw new ExpansionException($"{name}: {(word.Length > 0 ? word : "is not allowed to be empty")}");
                        }

                        return value;
                    case '%' or '#':
                    {
                        // One operator character trims the shortest match, a doubled one the longest.
                        var greedy = word.Length > 0 && word[0] == ch;
                        if (greedy)
                        {
                            word = word[1..];
                        }

                        return ch == '%'
                            ? ShellPattern.TrimSuffix(word, value, greedy)
                            : ShellPattern.TrimPrefix(word, value, greedy);
                    }

                    default:
                        throw new ExpansionException($"unsupported modifier ({modifier}) in substitution");
                }
            }

            case '/':
            {
                var replaceAll = Peek() == '/';
                if (replaceAll)
                {
                    Next();
                }

                var pattern = ProcessUntilClose('/', true, "syntax error: missing '/' in ${}");
                var replacement = ProcessUntilClose('}', true, "syntax error: missing '}'");
                var set = TryGetEnv(name, out var value);
                if (_options.SkipUnsetEnv && !set)
                {
                    return "${" + name + "/" + pattern + "/" + replacement + "}";
                }

                return ShellPattern.Replace(value, pattern, replacement, replaceAll);
            }

            default:
                throw new ExpansionException($"unsupported modifier ({modifier}) in substitution");
        }
    }

    /// <summary>Processes a nested word up to <paramref name="stopChar"/>; running out of input there
    /// is reported as the missing delimiter rather than as the inner error.</summary>
    private string ProcessUntilClose(int stopChar, bool rawEscapes, string missingMessage)
    {
        try
        {
            return ProcessStopOn(stopChar, rawEscapes, collectWords: false).Result;
        }
        catch (ExpansionException) when (Peek() == Eof)
        {
            throw new ExpansionException(missingMessage);
        }
    }

    private string ProcessName()
    {
        // A name is letters, digits and underscores; a leading digit makes a positional parameter
        // (all following digits), and a special parameter is a single character.
        var name = new StringBuilder();
        while (Peek() != Eof)
        {
            var ch = Peek();
            if (name.Length == 0 && GoRunes.IsDigit(ch))
            {
                while (Peek() != Eof && GoRunes.IsDigit(Peek()))
                {
                    GoRunes.Append(name, Next());
                }

                return name.ToString();
            }

            if (name.Length == 0 && IsSpecialParameter(ch))
            {
                return GoRunes.ToString(Next());
            }

            if (!GoRunes.IsLetter(ch) && !GoRunes.IsDigit(ch) && ch != '_')
            {
                break;
            }

            GoRunes.Append(name, Next());
        }

        return name.ToString();
    }

    private static bool IsSpecialParameter(int ch) =>
        ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0';

    private bool TryGetEnv(string name, out string value)
    {
        if (_env.TryGetValue(name, out var found))
        {
            _matched.Add(name);
            value = found;
            return true;
        }

        _unmatched.Add(name);
        value = "";
        return false;
    }

    private int Peek() => GoRunes.At(_text, _pos);

    private int Next()
    {
        var c = Peek();
        if (c != Eof)
        {
            _pos += GoRunes.Width(c);
        }

        return c;
    }
}
