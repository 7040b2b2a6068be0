using System.Globalization;

namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// Go text/template's grammar over <see cref="TemplateLexer"/>'s tokens: text and actions, pipelines with
/// variable declarations, <c>if</c>/<c>else if</c>/<c>with</c>/<c>range</c> with <c>else</c> and <c>end</c>,
/// <c>break</c>/<c>continue</c>. Functions must exist when the template is parsed, as in Go.
/// </summary>
internal sealed class TemplateParser
{
    private readonly string text;
    private readonly IReadOnlyList<TemplateToken> tokens;
    private readonly ISet<string> functions;
    private int next;
    private int rangeDepth;

    private TemplateParser(string text, ISet<string> functions)
    {
        this.text = text;
        this.functions = functions;
        tokens = TemplateLexer.Lex(text);
    }

    private enum Stop
    {
        Eof,
        End,
        Else,
    }

    public static ListNode Parse(string text, ISet<string> functions)
    {
        var parser = new TemplateParser(text, functions);
        var (list, stop) = parser.ParseList();
        return stop switch
        {
            Stop.End => throw parser.Error(parser.tokens[parser.next - 1], "unexpected {{end}}"),
            Stop.Else => throw parser.Error(parser.tokens[parser.next - 1], "unexpected {{else}}"),
            _ => list,
        };
    }

    private TemplateToken Peek => tokens[next];

    private TemplateToken Take() => tokens[next++];

    // Nodes up to EOF, {{end}} or {{else}} (whose keyword is consumed; for else the caller reads on).
    private (ListNode List, Stop Stop) ParseList()
    {
        var nodes = new List<TemplateNode>();
        var start = Peek.Position;
        while (true)
        {
            var token = Take();
            switch (token.Kind)
            {
                case TokenKind.Eof:
                    return (new ListNode(start, nodes), Stop.Eof);
                case TokenKind.Text:
                    nodes.Add(new TextNode(token.Position, token.Text));
                    continue;
                case TokenKind.LeftDelim:
                    break;
                default:
                    throw Error(token, $"unexpected {token.Text}");
            }

            if (Peek.Kind == TokenKind.Keyword)
            {
                var keyword = Peek;
                switch (keyword.Text)
                {
                    case "end":
                        next++;
                        ExpectClose("end");
                        return (new ListNode(start, nodes), Stop.End);
                    case "else":
                        next++;
                        return (new ListNode(start, nodes), Stop.Else);
                    case "if" or "with" or "range":
                        next++;
                        nodes.Add(ParseBranch(keyword));
                        continue;
                    case "break" or "continue":
                        next++;
                        if (rangeDepth == 0)
                        {
                            throw Error(keyword, $"{{{{{keyword.Text}}}}} outside {{{{range}}}}");
                        }

                        ExpectClose(keyword.Text);
                        nodes.Add(new LoopControlNode(keyword.Position, keyword.Text == "break"));
                        continue;
                    case "define" or "template" or "block":
                        throw Error(keyword, $"{{{{{keyword.Text}}}}} is not supported");
                }
            }

            var pipe = ParsePipeline("command", allowDeclarations: 1);
            ExpectClose("command");
            nodes.Add(new ActionNode(pipe.Position, pipe));
        }
    }

    private BranchNode ParseBranch(TemplateToken keyword)
    {
        var kind = keyword.Text switch { "if" => BranchKind.If, "with" => BranchKind.With, _ => BranchKind.Range };
        var pipe = ParsePipeline(keyword.Text, allowDeclarations: kind == BranchKind.Range ? 2 : 1);
        ExpectClose(keyword.Text);
        if (kind == BranchKind.Range)
        {
            rangeDepth++;
        }

        var (body, stop) = ParseList();
        if (kind == BranchKind.Range)
        {
            rangeDepth--;
        }

        ListNode? otherwise = null;
        if (stop == Stop.Else)
        {
            // {{else if ...}} and {{else with ...}} nest a branch that shares our {{end}}.
            if (Peek.Kind == TokenKind.Keyword && ((kind == BranchKind.If && Peek.Text == "if") || (kind == BranchKind.With && Peek.Text == "with")))
            {
                var nested = Take();
                otherwise = new ListNode(nested.Position, [ParseBranch(nested)]);
                return new BranchNode(keyword.Position, kind, pipe, body, otherwise);
            }

            ExpectClose("else");
            (otherwise, stop) = ParseList();
            if (stop == Stop.Else)
            {
                throw Error(tokens[next - 1], "expected end; found {{else}}");
            }
        }

        if (stop != Stop.End)
        {
            throw Error(tokens[next - 1], "unexpected EOF");
        }

        return new BranchNode(keyword.Position, kind, pipe, body, otherwise);
    }

    private void ExpectClose(string context)
    {
        var token = Take();
        if (token.Kind != TokenKind.RightDelim)
        {
            throw Error(token, $"unexpected \"{token.Text}\" in {context}");
        }
    }

    private PipeNode ParsePipeline(string context, int allowDeclarations)
    {
        var start = Peek.Position;
        var variables = new List<string>();
        var assign = false;
        if (allowDeclarations > 0 && Peek.Kind == TokenKind.Variable)
        {
            var save = next;
            var names = new List<string> { Take().Text };
            while (Peek.Kind == TokenKind.Comma && names.Count < allowDeclarations)
            {
                next++;
                if (Peek.Kind != TokenKind.Variable)
                {
                    throw Error(Peek, $"too many declarations in {context}");
                }

                names.Add(Take().Text);
            }

            if (Peek.Kind is TokenKind.Declare or TokenKind.Assign)
            {
                assign = Take().Kind == TokenKind.Assign;
                variables = names;
            }
            else if (names.Count > 1)
            {
                throw Error(Peek, $"unexpected \"{Peek.Text}\" in {context}");
            }
            else
            {
                next = save;
            }
        }

        var commands = new List<CommandNode>();
        while (true)
        {
            commands.Add(ParseCommand());
            if (Peek.Kind != TokenKind.Pipe)
            {
                break;
            }

            next++;
        }

        if (Peek.Kind is not (TokenKind.RightDelim or TokenKind.RightParen))
        {
            throw Error(Peek, $"unexpected \"{Peek.Text}\" in {context}");
        }

        return new PipeNode(start, SourceUpTo(start), variables, assign, commands);
    }

    private CommandNode ParseCommand()
    {
        var start = Peek.Position;
        var args = new List<ArgNode>();
        while (Peek.Kind is not (TokenKind.Pipe or TokenKind.RightDelim or TokenKind.RightParen or TokenKind.Eof))
        {
            if (args.Count > 0 && !Peek.SpaceBefore && Peek.Kind != TokenKind.LeftParen)
            {
                throw Error(Peek, $"missing space before \"{Peek.Text}\"");
            }

            args.Add(ParseOperand());
        }

        if (args.Count == 0)
        {
            throw Error(Peek, "missing value for command");
        }

        return new CommandNode(start, SourceUpTo(start), args);
    }

    private ArgNode ParseOperand()
    {
        var token = Take();
        ArgNode term;
        switch (token.Kind)
        {
            case TokenKind.Field:
                return new FieldNode(token.Position, token.Text + ChainText(out var fieldNames, [token.Text[1..]]), fieldNames);
            case TokenKind.Variable:
                return new VariableNode(token.Position, token.Text + ChainText(out var variableNames, []), token.Text, variableNames);
            case TokenKind.Dot:
                term = new DotNode(token.Position);
                break;
            case TokenKind.Identifier:
                if (!functions.Contains(token.Text))
                {
                    throw Error(token, $"function \"{token.Text}\" not defined");
                }

                term = new IdentifierNode(token.Position, token.Text);
                break;
            case TokenKind.String:
                term = new LiteralNode(token.Position, GoValues.Quote(token.Text), token.Text);
                break;
            case TokenKind.Number:
                term = new LiteralNode(token.Position, token.Text, ParseNumber(token));
                break;
            case TokenKind.Keyword when token.Text is "true" or "false":
                term = new LiteralNode(token.Position, token.Text, token.Text == "true");
                break;
            case TokenKind.Keyword when token.Text == "nil":
                term = new LiteralNode(token.Position, "nil", null);
                break;
            case TokenKind.LeftParen:
                var pipe = ParsePipeline("parenthesized pipeline", allowDeclarations: 0);
                if (Take().Kind != TokenKind.RightParen)
                {
                    throw Error(token, "unclosed left paren");
                }

                term = pipe with { Source = "(" + pipe.Source + ")" };
                break;
            case TokenKind.RightParen:
                throw Error(token, "unexpected right paren");
            default:
                throw Error(token, $"unexpected \"{token.Text}\" in operand");
        }

        if (Peek.Kind == TokenKind.Field && !Peek.SpaceBefore)
        {
            var chain = ChainText(out var names, []);
            return new ChainNode(token.Position, term.Source + chain, term, names);
        }

        return term;
    }

    // The field names directly following (no space), e.g. the ".B.C" of ".A.B.C".
    private string ChainText(out IReadOnlyList<string> names, List<string> first)
    {
        var source = "";
        while (Peek.Kind == TokenKind.Field && !Peek.SpaceBefore)
        {
            var field = Take();
            first.Add(field.Text[1..]);
            source += field.Text;
        }

        names = first;
        return source;
    }

    private object ParseNumber(TemplateToken token)
    {
        var s = token.Text.Replace("_", "", StringComparison.Ordinal);
        var negative = s.StartsWith('-');
        var digits = s.TrimStart('+', '-');
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return negative ? -hex : hex;
        }

        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return real;
        }

        throw Error(token, $"bad number syntax: \"{token.Text}\"");
    }

    private string SourceUpTo(int start) => text[start..Peek.Position].TrimEnd();

    private TemplateException Error(TemplateToken token, string message) =>
        new($"template: :{TemplateLexer.LineOf(text, token.Position)}: {message}");
}
