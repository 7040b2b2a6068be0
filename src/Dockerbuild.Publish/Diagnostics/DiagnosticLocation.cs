using Dockerbuild.Dockerfile;

namespace Dockerbuild.Publish.Diagnostics;

/// <summary>Where an MSBuild diagnostic points: a file, and a line and column in it when known (0 = none).</summary>
internal sealed record DiagnosticLocation(string? File, int Line, int Column)
{
    public static DiagnosticLocation None { get; } = new(null, 0, 0);

    /// <summary>A Dockerfile span as MSBuild shows it, <c>Dockerfile(line,col)</c>: the start only, as compilers report.</summary>
    public static DiagnosticLocation Of(SourceSpan span) => new(span.File, span.StartLine, span.StartColumn);

    public static DiagnosticLocation OfFile(string file) => new(file, 0, 0);
}
