namespace Dockerbuild.Publish.Diagnostics;

/// <summary>MSBuild's message importance: normal shows at -v:n, low at -v:d, high always.</summary>
public enum LogImportance
{
    High,
    Normal,
    Low,
}

public enum LogSeverity
{
    Error,
    Warning,
}

/// <summary>One coded error or warning as MSBuild logs it: <c>file(line,col): error CODE: message</c>.</summary>
public sealed record LoggedDiagnostic(LogSeverity Severity, string Code, string? HelpLink, string? File, int Line, int Column, string Message);

/// <summary>
/// Where the project image build writes what MSBuild shows: the task's own log when it runs in the
/// MSBuild process, or the native host's event stream, which the task replays into that log.
/// </summary>
public interface IBuildLog
{
    void Message(LogImportance importance, string text);

    void Diagnostic(LoggedDiagnostic diagnostic);
}
