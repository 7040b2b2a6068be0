namespace Dockerbuild.Cli.Formatting;

// The parse tree of a template, as Go's text/template/parse names it. Position is the offset in the
// template text, for errors.

internal abstract record TemplateNode(int Position);

internal sealed record TextNode(int Position, string Text) : TemplateNode(Position);

internal sealed record ListNode(int Position, IReadOnlyList<TemplateNode> Nodes) : TemplateNode(Position);

internal sealed record ActionNode(int Position, PipeNode Pipe) : TemplateNode(Position);

internal enum BranchKind
{
    If,
    With,
    Range,
}

/// <summary><c>{{if}}</c>, <c>{{with}}</c> or <c>{{range}}</c>: the body runs when the pipeline is true (non-empty), else the else-list.</summary>
internal sealed record BranchNode(int Position, BranchKind Kind, PipeNode Pipe, ListNode Body, ListNode? Else) : TemplateNode(Position);

internal sealed record LoopControlNode(int Position, bool IsBreak) : TemplateNode(Position);

/// <summary>An operand: what a command's words are. Source is the text, for Go's <c>at &lt;...&gt;</c> in errors.</summary>
internal abstract record ArgNode(int Position, string Source) : TemplateNode(Position);

/// <summary><c>$a, $b :=</c> (or <c>=</c>) then commands joined by <c>|</c>.</summary>
internal sealed record PipeNode(int Position, string Source, IReadOnlyList<string> Variables, bool IsAssign, IReadOnlyList<CommandNode> Commands) : ArgNode(Position, Source);

internal sealed record CommandNode(int Position, string Source, IReadOnlyList<ArgNode> Args) : ArgNode(Position, Source);

internal sealed record DotNode(int Position) : ArgNode(Position, ".");

/// <summary><c>.A.B</c> on dot.</summary>
internal sealed record FieldNode(int Position, string Source, IReadOnlyList<string> Names) : ArgNode(Position, Source);

/// <summary><c>$x.A.B</c>; no names for <c>$x</c> itself.</summary>
internal sealed record VariableNode(int Position, string Source, string Name, IReadOnlyList<string> Names) : ArgNode(Position, Source);

/// <summary><c>(pipeline).A.B</c>.</summary>
internal sealed record ChainNode(int Position, string Source, ArgNode Node, IReadOnlyList<string> Names) : ArgNode(Position, Source);

internal sealed record IdentifierNode(int Position, string Name) : ArgNode(Position, Name);

internal sealed record LiteralNode(int Position, string Source, object? Value) : ArgNode(Position, Source);
