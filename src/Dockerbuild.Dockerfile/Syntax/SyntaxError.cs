namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// A problem found inside one instruction line, located by offset in that line. It never leaves the
/// parser: <see cref="DockerfileParser"/> turns it into a <see cref="DockerfileException"/> with the
/// file, line and column.
/// </summary>
internal sealed class SyntaxError(int offset, string reason) : Exception(reason)
{
    public int Offset { get; } = offset;

    public string Reason { get; } = reason;
}
