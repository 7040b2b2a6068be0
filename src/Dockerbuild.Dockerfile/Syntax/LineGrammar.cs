using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// The grammar of one physical line: blank, comment, or text that may end in a line continuation.
/// A continuation is the escape character as the last non-blank character, unless it is itself
/// escaped (BuildKit's <c>([^\\])\\[ \t]*$|^\\[ \t]*$</c>): a run of two or more escape characters at
/// the end of a line is text. One instance per escape character, built once.
/// </summary>
internal sealed class LineGrammar
{
    private static readonly Parser<char, Unit> Blanks = Token(c => c is ' ' or '\t').SkipMany();

    private static readonly Parser<char, LineShape> CommentLine =
        Char('#').ThenReturn(new LineShape(LineKind.Comment, 0, string.Empty, false));

    private static readonly Parser<char, LineShape> BlankLine =
        End.ThenReturn(new LineShape(LineKind.Blank, 0, string.Empty, false));

    // Built after the shared parsers above, which their constructors use.
    public static readonly LineGrammar Backslash = new('\\');
    public static readonly LineGrammar Backtick = new('`');

    private readonly Parser<char, LineShape> firstLine;
    private readonly Parser<char, LineShape> continuationLine;

    private LineGrammar(char escape)
    {
        Escape = escape;

        var lineContinuation = Try(Char(escape).Then(Blanks).Then(End)).Labelled("a line continuation");

        // A lone escape character followed only by blanks is the continuation, not text.
        var escapes = Try(Char(escape).Then(Char(escape).SkipAtLeastOnce().Or(Not(Try(Blanks.Then(End))))));
        var text = Token(c => c != escape).SkipAtLeastOnce()
            .Or(escapes)
            .SkipMany()
            .Slice((span, _) => span.ToString());

        var textLine = Map(
            (column, content, continues) => new LineShape(LineKind.Text, column, content, continues),
            CurrentOffset,
            text,
            lineContinuation.ThenReturn(true).Or(End.ThenReturn(false)).Labelled("the end of the line"));

        // An instruction's first line is read from its first non-blank character.
        firstLine = SkipWhitespaces.Then(OneOf(CommentLine, BlankLine, textLine));

        // Continuation lines keep their leading whitespace; comment and blank lines inside are skipped.
        continuationLine = OneOf(
            Try(SkipWhitespaces.Then(CommentLine)),
            Try(SkipWhitespaces.Then(BlankLine)),
            textLine);
    }

    public char Escape { get; }

    public static LineGrammar For(char escape) => escape == '`' ? Backtick : Backslash;

    public LineShape FirstLine(ReadOnlySpan<char> line) => firstLine.ParseOrThrow(line);

    public LineShape ContinuationLine(ReadOnlySpan<char> line) => continuationLine.ParseOrThrow(line);
}
