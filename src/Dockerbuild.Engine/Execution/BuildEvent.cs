namespace Dockerbuild.Engine.Execution;

/// <summary>One progress report, as BuildKit's plain progress shows them (<c>#5 [build 2/4] RUN make</c>).</summary>
/// <param name="Step">The vertex number (#N), 0 for warnings.</param>
public sealed record BuildEvent(BuildEventKind Kind, int Step, string Text, TimeSpan Duration = default, TimeSpan Elapsed = default);
