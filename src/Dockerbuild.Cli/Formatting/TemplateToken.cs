namespace Dockerbuild.Cli.Formatting;

internal enum TokenKind
{
    Text,
    LeftDelim,
    RightDelim,
    Field,
    Dot,
    Variable,
    Identifier,
    Keyword,
    String,
    Number,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    Eof,
}

/// <summary>One lexeme; <paramref name="SpaceBefore"/> separates operands (<c>.A.B</c> is a chain, <c>.A .B</c> two arguments).</summary>
internal sealed record TemplateToken(TokenKind Kind, string Text, int Position, bool SpaceBefore = false);
