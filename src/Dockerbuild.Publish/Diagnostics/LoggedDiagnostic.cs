namespace Dockerbuild.Publish.Diagnostics;

/// <summary>One coded error or warning as MSBuild logs it: <c>file(line,col): error CODE: message</c>.</summary>
public sealed record LoggedDiagnostic(LogSeverity Severity, string Code, string? HelpLink, string? File, int Line, int Column, string Message);
