namespace Dockerbuild.Engine.Runtime;

/// <summary>One line a container process wrote, without its line ending.</summary>
public sealed record OutputLine(OutputStream Stream, string Text);
