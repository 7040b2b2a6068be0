namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>A classified physical line.</summary>
/// <param name="Kind">Blank, comment or text.</param>
/// <param name="Column">0-based column where <paramref name="Text"/> starts on the line.</param>
/// <param name="Text">For text lines: the content with a trailing line continuation removed.</param>
/// <param name="Continues">True when the line ended in the escape character (a line continuation).</param>
internal readonly record struct LineShape(LineKind Kind, int Column, string Text, bool Continues);
