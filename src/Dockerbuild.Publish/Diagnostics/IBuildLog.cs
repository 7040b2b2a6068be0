namespace Dockerbuild.Publish.Diagnostics;

/// <summary>
/// Where the project image build writes what MSBuild shows: the task's own log when it runs in the
/// MSBuild process, or the native host's event stream, which the task replays into that log.
/// </summary>
public interface IBuildLog
{
    void Message(LogImportance importance, string text);

    void Diagnostic(LoggedDiagnostic diagnostic);
}
