using System.Text;
using Pidgin;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// One parse of one file: walks the physical lines the way BuildKit's parser does (directives at the
/// top, then instructions with their continuation lines and heredoc bodies), letting the Pidgin grammars
/// classify each line and split each joined instruction.
/// </summary>
internal sealed class DockerfileReader
{
    private const int MaxOnbuildDepth = 16;

    private readonly string fileName;
    private readonly SourceLines lines;
    private readonly LogicalLine logical = new();
    private readonly List<Directive> directives = [];
    private readonly List<InstructionNode> instructions = [];
    private readonly List<string> comments = [];
    private char escape = '\\';
    private int next;

    public DockerfileReader(string text, string fileName)
    {
        this.fileName = fileName;
        lines = new SourceLines(text.StartsWith('\uFEFF') ? text[1..] : text);
    }

    public DockerfileSyntax Read()
    {
        try
        {
            ReadDirectives();
            var grammar = LineGrammar.For(escape);
            while (next < lines.Count)
            {
                ReadInstruction(grammar);
            }
        }
        catch (ParseException exception)
        {
            // The line grammars accept every line, so this is a defect; still report it as the front end's error.
            throw new DockerfileException(At(Math.Min(next + 1, Math.Max(lines.Count, 1)), 1), $"unexpected text: {exception.Message}", exception);
        }

        if (instructions.Count == 0)
        {
            throw new DockerfileException(At(Math.Max(lines.Count, 1), 1), "file with no instructions: expected at least one instruction such as FROM");
        }

        var first = instructions[0].Span;
        var last = instructions[^1].Span;
        return new DockerfileSyntax(
            fileName,
            directives,
            escape,
            instructions,
            new SourceSpan(fileName, first.StartLine, first.StartColumn, last.EndLine, last.EndColumn));
    }

    // Directives count only before any other line; a blank line, a plain comment or an unknown name ends them.
    private void ReadDirectives()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (; next < lines.Count; next++)
        {
            if (DirectiveGrammar.TryParse(lines.Text(next)) is not { } directive)
            {
                return;
            }

            var span = LineSpan(next);
            if (!seen.Add(directive.Name))
            {
                throw new DockerfileException(span, $"only one {directive.Name} parser directive can be used: expected each directive at most once");
            }

            if (directive.Name == "escape")
            {
                if (directive.Value is not ("\\" or "`"))
                {
                    throw new DockerfileException(span, $"invalid escape token '{directive.Value}' does not match ` or \\: expected ` or \\");
                }

                escape = directive.Value[0];
            }

            directives.Add(new Directive(directive.Name, directive.Value, span));
        }
    }

    private void ReadInstruction(LineGrammar grammar)
    {
        var startIndex = next;
        var first = grammar.FirstLine(lines.Text(next++));
        if (first.Kind == LineKind.Comment)
        {
            NoteComment(lines.Text(startIndex));
            return;
        }

        if (first.Kind == LineKind.Blank)
        {
            comments.Clear();
            return;
        }

        if (first.Text.Length == 0 && !first.Continues)
        {
            return;
        }

        logical.Clear();
        logical.Append(first.Text, startIndex + 1, first.Column + 1);
        List<int>? emptyContinuationLines = null;
        var continues = first.Continues;
        while (continues && next < lines.Count)
        {
            var index = next++;
            var line = grammar.ContinuationLine(lines.Text(index));
            if (line.Kind == LineKind.Blank)
            {
                (emptyContinuationLines ??= []).Add(index + 1);
            }
            else if (line.Kind == LineKind.Text)
            {
                logical.Append(line.Text, index + 1, line.Column + 1);
                continues = line.Continues;
            }
        }

        var text = logical.ToString();
        var start = (Line: startIndex + 1, Column: first.Column + 1);
        var node = Build(text, start, next, emptyContinuationLines ?? (IReadOnlyList<int>)[]);

        if (OpensHeredocs(node) && text.Contains("<<", StringComparison.Ordinal))
        {
            node = ReadHeredocs(node, text, start);
        }

        instructions.Add(comments.Count == 0 ? node : node with { PrecedingComments = [.. comments] });
        comments.Clear();
    }

    /// <summary>A comment line above an instruction; an empty one (a lone <c>#</c>) ends the comments before it.</summary>
    private void NoteComment(ReadOnlySpan<char> line)
    {
        var comment = line.TrimStart()[1..].Trim().ToString();
        if (comment.Length == 0)
        {
            comments.Clear();
        }
        else
        {
            comments.Add(comment);
        }
    }

    // BuildKit only reads heredoc bodies for RUN, COPY and ADD in shell form, also under ONBUILD.
    private static bool OpensHeredocs(InstructionNode node)
    {
        if (node.Name == "onbuild" && node.Next is { } nested)
        {
            node = nested;
        }

        return node.Name is "run" or "copy" or "add" && !node.IsJsonForm;
    }

    private InstructionNode ReadHeredocs(InstructionNode node, string text, (int Line, int Column) start)
    {
        var error = Heredocs.TryFromLine(text, out var opened);
        if (error is not null)
        {
            throw new DockerfileException(SpanTo(start, next), error);
        }

        if (opened.Count == 0)
        {
            return node;
        }

        var read = new Heredoc[opened.Count];
        for (var i = 0; i < opened.Count; i++)
        {
            read[i] = ReadBody(opened[i], start);
        }

        var span = SpanTo(start, next);
        var nested = node.Next is null ? null : node.Next with { Heredocs = read, Span = node.Next.Span with { EndLine = span.EndLine, EndColumn = span.EndColumn } };
        return node with { Heredocs = read, Next = nested, Span = span };
    }

    private Heredoc ReadBody(Heredoc heredoc, (int Line, int Column) start)
    {
        var content = new StringBuilder();
        while (next < lines.Count)
        {
            var index = next++;
            var candidate = lines.Text(index);
            if (heredoc.Chomp)
            {
                candidate = candidate.TrimStart('\t');
            }

            if (candidate.SequenceEqual(heredoc.Name))
            {
                return heredoc with { Content = content.ToString() };
            }

            content.Append(lines.Raw(index));
        }

        throw new DockerfileException(
            SpanTo(start, next),
            $"unterminated heredoc: expected a line reading {heredoc.Name} before the end of the file");
    }

    // ONBUILD nests an instruction. The chain is unrolled, and bounded: every level copies the rest of the
    // line, and a build rejects ONBUILD ONBUILD anyway, so deeper nesting is an error rather than a risk.
    private InstructionNode Build(string text, (int Line, int Column) start, int endLine, IReadOnlyList<int> emptyContinuationLines)
    {
        var chain = new List<(CommandLine Command, int Offset, string Text)>();
        var offset = 0;
        var current = text;
        while (true)
        {
            var command = CommandGrammar.Split(current);
            chain.Add((command, offset, current));
            if (!command.Keyword.Equals("onbuild", StringComparison.OrdinalIgnoreCase) || command.Arguments.Length == 0)
            {
                break;
            }

            offset += command.ArgumentsOffset;
            if (chain.Count == MaxOnbuildDepth)
            {
                var (line, column) = logical.Locate(offset);
                throw new DockerfileException(At(line, column), $"ONBUILD nested too deeply: expected at most {MaxOnbuildDepth} levels");
            }

            current = command.Arguments;
        }

        var span = SpanTo(start, endLine);
        InstructionNode? inner = null;
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var (command, at, original) = chain[i];
            var arguments = inner is null ? ArgumentsOf(command, at) : ParsedArguments.None;
            var nodeSpan = span;
            if (i > 0)
            {
                var (line, column) = logical.Locate(at + command.KeywordOffset);
                nodeSpan = span with { StartLine = line, StartColumn = column };
            }

            inner = new InstructionNode(
                command.Keyword,
                command.Flags,
                arguments.Args,
                arguments.IsJsonForm,
                command.Arguments,
                [],
                inner,
                nodeSpan,
                original,
                i == 0 ? emptyContinuationLines : []);
        }

        return inner!;
    }

    private ParsedArguments ArgumentsOf(CommandLine command, int lineOffset)
    {
        try
        {
            return InstructionArguments.Parse(command.Keyword.ToLowerInvariant(), command.Arguments, escape);
        }
        catch (SyntaxError error)
        {
            var (line, column) = logical.Locate(lineOffset + command.ArgumentsOffset + error.Offset);
            throw new DockerfileException(At(line, column), error.Reason);
        }
    }

    private SourceSpan SpanTo((int Line, int Column) start, int endLine) =>
        new(fileName, start.Line, start.Column, endLine, Math.Max(1, lines.Text(endLine - 1).Length));

    private SourceSpan LineSpan(int index) =>
        new(fileName, index + 1, 1, index + 1, Math.Max(1, lines.Text(index).Length));

    private SourceSpan At(int line, int column) => new(fileName, line, column, line, column);
}
