namespace Dockerbuild.Dockerfile.Syntax;

// The raw syntax tree: what the Pidgin grammar produces and the binder consumes. It knows nothing about
// what instructions mean; it mirrors BuildKit's parser Node (keyword, flags, args, heredocs, nesting),
// so the BuildKit AST dump can be printed from it directly.

/// <summary>A parser directive from the top of the file (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>).</summary>
public sealed record Directive(string Name, string Value, SourceSpan Span);

/// <summary>A heredoc attached to an instruction (<c>&lt;&lt;EOF</c> ... <c>EOF</c>).</summary>
/// <param name="Name">The delimiter word, quotes removed.</param>
/// <param name="FileDescriptor">0 unless prefixed, as in <c>3&lt;&lt;EOF</c>.</param>
/// <param name="Expand">False when the delimiter was quoted, which turns expansion off.</param>
/// <param name="Chomp">True for <c>&lt;&lt;-EOF</c>: leading tabs are stripped from the body.</param>
/// <param name="Content">
/// The body exactly as written, each line with its own line ending. As in BuildKit, leading tabs are
/// kept here even when Chomp; <see cref="Body"/> is the text with them removed.
/// </param>
public sealed record Heredoc(string Name, int FileDescriptor, bool Expand, bool Chomp, string Content)
{
    /// <summary>The body as the build uses it: <see cref="Content"/>, leading tabs stripped when Chomp.</summary>
    public string Body => Chomp ? Heredocs.Chomp(Content) : Content;
}

/// <summary>One instruction as written.</summary>
/// <param name="Keyword">The instruction keyword exactly as written (case kept, for casing checks).</param>
/// <param name="Flags">Leading <c>--flag</c> words, quotes removed and escapes applied; a lone <c>--</c> is dropped.</param>
/// <param name="Args">The arguments split as BuildKit's parser splits them for this keyword (see conformance README).</param>
/// <param name="IsJsonForm">True when the arguments were a JSON string array (exec form).</param>
/// <param name="ArgumentText">Everything after the keyword and flags, continuations joined, untrimmed of inner text.</param>
/// <param name="Heredocs">Heredocs whose bodies follow this instruction, in order. For ONBUILD they sit on
/// the ONBUILD node (as in BuildKit) and on its nested instruction.</param>
/// <param name="Next">For ONBUILD: the nested instruction.</param>
/// <param name="Span">From the keyword to the end of the last continued line (heredoc bodies included).</param>
/// <param name="Original">The instruction's text as written, continuations joined (BuildKit's Node.Original).</param>
/// <param name="EmptyContinuationLines">1-based lines of blank lines inside a continuation (NoEmptyContinuation).</param>
public sealed record InstructionNode(
    string Keyword,
    IReadOnlyList<string> Flags,
    IReadOnlyList<string> Args,
    bool IsJsonForm,
    string ArgumentText,
    IReadOnlyList<Heredoc> Heredocs,
    InstructionNode? Next,
    SourceSpan Span,
    string Original,
    IReadOnlyList<int> EmptyContinuationLines)
{
    /// <summary>The keyword lower-cased, as BuildKit's AST uses it.</summary>
    public string Name => Keyword.ToLowerInvariant();

    /// <summary>
    /// The comment lines right above the instruction, text after <c>#</c> trimmed (BuildKit's Node.PrevComment):
    /// a blank line or an empty <c>#</c> starts them afresh, parser directives are not among them. Stage and
    /// ARG descriptions (<c>--call=outline</c>) and InvalidDefinitionDescription read them.
    /// </summary>
    public IReadOnlyList<string> PrecedingComments { get; init; } = [];
}

/// <summary>A whole parsed Dockerfile.</summary>
/// <param name="File">The name used in spans and errors.</param>
/// <param name="Directives">Parser directives in file order.</param>
/// <param name="EscapeToken">'\\' or '`'.</param>
/// <param name="Instructions">Top-level instructions in file order.</param>
/// <param name="Span">The span from the first to the last instruction line.</param>
public sealed record DockerfileSyntax(
    string File,
    IReadOnlyList<Directive> Directives,
    char EscapeToken,
    IReadOnlyList<InstructionNode> Instructions,
    SourceSpan Span);
