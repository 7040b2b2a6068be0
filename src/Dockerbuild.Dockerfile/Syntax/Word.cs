namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>A word of an instruction's arguments and where it starts in them.</summary>
internal readonly record struct Word(int Offset, string Text);
