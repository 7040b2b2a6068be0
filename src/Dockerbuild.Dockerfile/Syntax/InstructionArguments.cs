namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// BuildKit's per-keyword line parsers: how each instruction's arguments are split. Unknown keywords get
/// no arguments (the binder rejects them). Problems are thrown as <see cref="SyntaxError"/> with the
/// offset in the argument text.
/// </summary>
internal static class InstructionArguments
{
    /// <summary>The keywords BuildKit's parser has a line parser for, lower-case.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label",
        "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
    };

    public static ParsedArguments Parse(string keyword, string text, char escape) => keyword switch
    {
        "run" or "cmd" or "entrypoint" or "shell" => MaybeJson(text, 0),
        "add" or "copy" or "volume" => MaybeJsonList(text),
        "from" or "expose" => new(ArgumentGrammar.SplitOnSpaces(text), false),
        "user" or "workdir" or "maintainer" or "stopsignal" => text.Length == 0 ? ParsedArguments.None : new([text], false),
        "env" => NameValues(text, "ENV", escape),
        "label" => NameValues(text, "LABEL", escape),
        "arg" => new(WordGrammar.For(escape).Split(text).Select(word => word.Text).ToArray(), false),
        "healthcheck" => Healthcheck(text),
        _ => ParsedArguments.None,
    };

    // Exec form when the text is a JSON array of strings; a valid array of anything else is an error.
    private static ParsedArguments MaybeJson(string text, int offset)
    {
        if (text.Length == 0)
        {
            return ParsedArguments.None;
        }

        return TryJson(text, offset) ?? new([text], false);
    }

    private static ParsedArguments MaybeJsonList(string text) =>
        TryJson(text, 0) ?? new(ArgumentGrammar.SplitOnSpaces(text), false);

    private static ParsedArguments? TryJson(string text, int offset)
    {
        var elements = JsonArrayGrammar.TryParse(text);
        if (elements is null)
        {
            return null;
        }

        var args = new string[elements.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = elements[i].Text ?? throw new SyntaxError(
                offset + elements[i].Offset,
                "when using JSON array syntax, arrays must be comprised of strings only: expected a JSON string");
        }

        return new(args, true);
    }

    // ENV and LABEL: `name=value ...`, or the legacy `name value` when the first word has no '='.
    private static ParsedArguments NameValues(string text, string keyword, char escape)
    {
        var words = WordGrammar.For(escape).Split(text);
        if (words.Count == 0)
        {
            return ParsedArguments.None;
        }

        if (!words[0].Text.Contains('='))
        {
            var legacy = ArgumentGrammar.LegacyNameValue(text, out var errorOffset)
                ?? throw new SyntaxError(errorOffset, $"{keyword} must have two arguments: expected a value after the name {words[0].Text}");
            return new([legacy.Name, legacy.Value, string.Empty], false);
        }

        var args = new string[words.Count * 3];
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i].Text;
            var equals = word.IndexOf('=');
            if (equals < 0)
            {
                throw new SyntaxError(
                    words[i].Offset,
                    $"Syntax error - can't find = in {GoQuote.Quote(word)}: expected the form name=value");
            }

            args[i * 3] = word[..equals];
            args[(i * 3) + 1] = word[(equals + 1)..];
            args[(i * 3) + 2] = "=";
        }

        return new(args, false);
    }

    // HEALTHCHECK: the type word, then the rest as for CMD.
    private static ParsedArguments Healthcheck(string text)
    {
        if (text.Length == 0)
        {
            return ParsedArguments.None;
        }

        var (type, restOffset, rest) = ArgumentGrammar.HealthcheckType(text);
        var command = MaybeJson(rest, restOffset);
        return new([type, .. command.Args], command.IsJsonForm);
    }
}
