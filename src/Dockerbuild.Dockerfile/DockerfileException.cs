namespace Dockerbuild.Dockerfile;

/// <summary>
/// The front end's one error type: a malformed or invalid Dockerfile. Its message already names the
/// file, line and column, so the CLI and the MSBuild tasks print it as it is, never a stack trace.
/// </summary>
public sealed class DockerfileException : Exception
{
    public DockerfileException(SourceSpan span, string reason)
        : base($"{span}: {reason}")
    {
        Span = span;
        Reason = reason;
    }

    public DockerfileException(SourceSpan span, string reason, Exception inner)
        : base($"{span}: {reason}", inner)
    {
        Span = span;
        Reason = reason;
    }

    /// <summary>Where the problem is.</summary>
    public SourceSpan Span { get; }

    /// <summary>What is wrong (and what was expected), without the location prefix.</summary>
    public string Reason { get; }
}
