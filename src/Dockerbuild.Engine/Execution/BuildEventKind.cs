namespace Dockerbuild.Engine.Execution;

public enum BuildEventKind
{
    /// <summary>A step began: <see cref="BuildEvent.Text"/> is its <c>[stage i/n] INSTRUCTION</c> name.</summary>
    Started,
    /// <summary>The step's result came from the cache.</summary>
    Cached,
    /// <summary>A line the step's command printed.</summary>
    Output,
    /// <summary>The step finished after <see cref="BuildEvent.Duration"/>.</summary>
    Done,
    /// <summary>The step failed; <see cref="BuildEvent.Text"/> is the error.</summary>
    Error,
    /// <summary>A warning about the build (unused build args ...), not tied to a step.</summary>
    Warning,
    /// <summary>A build check finding (<c>JSONArgsRecommended: ... (line 3)</c>), which buildx lists after the build.</summary>
    CheckWarning,
}
