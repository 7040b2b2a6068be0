namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// Go text/template's lexer for the default delimiters: text, and inside <c>{{ }}</c> fields, variables,
/// identifiers, literals and punctuation. <c>{{- </c> trims the white space before, <c> -}}</c> the white
/// space after; <c>{{/* */}}</c> is a comment.
/// </summary>
internal sealed class TemplateLexer(string input)
{
    private static readonly HashSet<string> Keywords = ["if", "else", "end", "range", "with", "break", "continue", "nil", "true", "false", "define", "template", "block"];

    private readonly List<TemplateToken> tokens = [];
    private int pos;

    public static IReadOnlyList<TemplateToken> Lex(string input) => new TemplateLexer(input).Run();

    /// <summary>The 1-based line of <paramref name="position"/>, for Go's <c>template: :LINE:</c> prefix.</summary>
    public static int LineOf(string input, int position) => 1 + input.AsSpan(0, Math.Min(position, input.Length)).Count('\n');

    private IReadOnlyList<TemplateToken> Run()
    {
        var trimNext = false;
        while (pos < input.Length)
        {
            var open = input.IndexOf("{{", pos, StringComparison.Ordinal);
            var end = open < 0 ? input.Length : open;
            var trimBefore = open >= 0 && At(open + 2, "-") && open + 3 < input.Length && IsSpace(input[open + 3]);
            var text = input[pos..end];
            if (trimNext)
            {
                text = text.TrimStart(' ', '\t', '\r', '\n');
            }

            if (trimBefore)
            {
                text = text.TrimEnd(' ', '\t', '\r', '\n');
            }

            if (text.Length > 0)
            {
                tokens.Add(new TemplateToken(TokenKind.Text, text, pos));
            }

            if (open < 0)
            {
                break;
            }

            pos = open + (trimBefore ? 4 : 2);
            trimNext = LexAction(open);
        }

        tokens.Add(new TemplateToken(TokenKind.Eof, "", input.Length));
        return tokens;
    }

    // Returns whether the action ended with " -}}".
    private bool LexAction(int open)
    {
        SkipSpace();
        if (At(pos, "/*"))
        {
            var close = input.IndexOf("*/", pos + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Error(open, "unclosed comment");
            }

            pos = close + 2;
            var space = SkipSpace();
            if (space && At(pos, "-}}"))
            {
                pos += 3;
                return true;
            }

            if (!At(pos, "}}"))
            {
                throw Error(open, "comment ends before closing delimiter");
            }

            pos += 2;
            return false;
        }

        tokens.Add(new TemplateToken(TokenKind.LeftDelim, "{{", open));
        var spaceBefore = true;
        while (true)
        {
            if (pos >= input.Length)
            {
                throw Error(open, "unclosed action");
            }

            var c = input[pos];
            if (spaceBefore && At(pos, "-}}"))
            {
                tokens.Add(new TemplateToken(TokenKind.RightDelim, "}}", pos));
                pos += 3;
                return true;
            }

            if (At(pos, "}}"))
            {
                tokens.Add(new TemplateToken(TokenKind.RightDelim, "}}", pos));
                pos += 2;
                return false;
            }

            var start = pos;
            switch (c)
            {
                case '|':
                    Add(TokenKind.Pipe, start, 1, spaceBefore);
                    break;
                case '(':
                    Add(TokenKind.LeftParen, start, 1, spaceBefore);
                    break;
                case ')':
                    Add(TokenKind.RightParen, start, 1, spaceBefore);
                    break;
                case ',':
                    Add(TokenKind.Comma, start, 1, spaceBefore);
                    break;
                case '=':
                    Add(TokenKind.Assign, start, 1, spaceBefore);
                    break;
                case ':' when At(pos, ":="):
                    Add(TokenKind.Declare, start, 2, spaceBefore);
                    break;
                case '"':
                    LexQuoted(open, spaceBefore);
                    break;
                case '`':
                    var close = input.IndexOf('`', pos + 1);
                    if (close < 0)
                    {
                        throw Error(open, "unterminated raw quoted string");
                    }

                    tokens.Add(new TemplateToken(TokenKind.String, input[(pos + 1)..close], start, spaceBefore));
                    pos = close + 1;
                    break;
                case '.' when pos + 1 < input.Length && char.IsAsciiDigit(input[pos + 1]):
                    LexNumber(spaceBefore);
                    break;
                case '.':
                    pos++;
                    var name = Word();
                    tokens.Add(new TemplateToken(name.Length == 0 ? TokenKind.Dot : TokenKind.Field, "." + name, start, spaceBefore));
                    break;
                case '$':
                    pos++;
                    tokens.Add(new TemplateToken(TokenKind.Variable, "$" + Word(), start, spaceBefore));
                    break;
                case '+' or '-' when pos + 1 < input.Length && (char.IsAsciiDigit(input[pos + 1]) || input[pos + 1] == '.'):
                case >= '0' and <= '9':
                    LexNumber(spaceBefore);
                    break;
                default:
                    if (!IsWordChar(c))
                    {
                        throw Error(pos, $"unexpected \"{c}\" in command");
                    }

                    var word = Word();
                    tokens.Add(new TemplateToken(Keywords.Contains(word) ? TokenKind.Keyword : TokenKind.Identifier, word, start, spaceBefore));
                    break;
            }

            spaceBefore = SkipSpace();
        }
    }

    private void Add(TokenKind kind, int start, int length, bool spaceBefore)
    {
        tokens.Add(new TemplateToken(kind, input.Substring(start, length), start, spaceBefore));
        pos += length;
    }

    private void LexQuoted(int open, bool spaceBefore)
    {
        var start = pos;
        var value = new System.Text.StringBuilder();
        pos++;
        while (true)
        {
            if (pos >= input.Length || input[pos] == '\n')
            {
                throw Error(open, "unterminated quoted string");
            }

            var c = input[pos++];
            if (c == '"')
            {
                break;
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (pos >= input.Length)
            {
                throw Error(open, "unterminated quoted string");
            }

            var escape = input[pos++];
            switch (escape)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '\\': value.Append('\\'); break;
                case '"': value.Append('"'); break;
                case '\'': value.Append('\''); break;
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'v': value.Append('\v'); break;
                case 'x' or 'u' or 'U':
                    var digits = escape switch { 'x' => 2, 'u' => 4, _ => 8 };
                    if (pos + digits > input.Length || !int.TryParse(input.AsSpan(pos, digits), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code) || !System.Text.Rune.IsValid(code))
                    {
                        throw Error(open, "invalid syntax in quoted string");
                    }

                    value.Append(char.ConvertFromUtf32(code));
                    pos += digits;
                    break;
                default:
                    throw Error(open, "invalid syntax in quoted string");
            }
        }

        tokens.Add(new TemplateToken(TokenKind.String, value.ToString(), start, spaceBefore));
    }

    private void LexNumber(bool spaceBefore)
    {
        var start = pos;
        if (input[pos] is '+' or '-')
        {
            pos++;
        }

        while (pos < input.Length && (char.IsAsciiLetterOrDigit(input[pos]) || input[pos] is '.' or '_' || (input[pos] is '+' or '-' && input[pos - 1] is 'e' or 'E')))
        {
            pos++;
        }

        tokens.Add(new TemplateToken(TokenKind.Number, input[start..pos], start, spaceBefore));
    }

    private string Word()
    {
        var start = pos;
        while (pos < input.Length && IsWordChar(input[pos]))
        {
            pos++;
        }

        return input[start..pos];
    }

    private bool SkipSpace()
    {
        var start = pos;
        while (pos < input.Length && IsSpace(input[pos]))
        {
            pos++;
        }

        return pos > start;
    }

    private bool At(int at, string text) => at >= 0 && at + text.Length <= input.Length && string.CompareOrdinal(input, at, text, 0, text.Length) == 0;

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsWordChar(char c) => c == '_' || char.IsLetterOrDigit(c);

    private TemplateException Error(int at, string message) => new($"template: :{LineOf(input, at)}: {message}");
}
