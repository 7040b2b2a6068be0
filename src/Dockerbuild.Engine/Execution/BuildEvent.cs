namespace Dockerbuild.Engine.Execution;

/// <summary>One progress report, as BuildKit's plain progress shows them (<c>#5 [build 2/4] RUN make</c>).</summary>
/// <param name="Step">The vertex number (#N), 0 for warnings.</param>
public sealed record BuildEvent(BuildEventKind Kind, int Step, string Text, TimeSpan Duration = default, TimeSpan Elapsed = default)
{
    /// <summary>
    /// The Dockerfile instruction a <see cref="BuildEventKind.Started"/> step runs (the stage's FROM for
    /// its first step), so a host such as the MSBuild tasks can point later errors of the step at its line.
    /// </summary>
    public Dockerfile.SourceSpan? Span { get; init; }
}
