using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Publish.Incremental;

namespace Dockerbuild.Publish.Diagnostics;

/// <summary>Messages, and coded errors and warnings at a file location, into an <see cref="IBuildLog"/>.</summary>
internal sealed class DiagnosticLog(IBuildLog log)
{
    public IBuildLog Log => log;

    public void Message(LogImportance importance, string text) => log.Message(importance, text);

    public void Error(string code, DiagnosticLocation location, string message) =>
        log.Diagnostic(new LoggedDiagnostic(LogSeverity.Error, code, null, location.File, location.Line, location.Column, message));

    public void Warning(string code, DiagnosticLocation location, string message) =>
        log.Diagnostic(new LoggedDiagnostic(LogSeverity.Warning, code, null, location.File, location.Line, location.Column, message));

    /// <summary>
    /// A build-check finding, coded with its rule name and linked to BuildKit's page for the rule; an
    /// error when the Dockerfile says <c># check=error=true</c>. Returns it as logged, for the check stamp.
    /// </summary>
    public CheckStamp.Finding Finding(CheckFinding finding)
    {
        var location = DiagnosticLocation.Of(finding.Span);
        var logged = new CheckStamp.Finding(finding.RuleName, finding.Message, RuleLink(finding.RuleName), location.File, location.Line, location.Column, finding.IsError);
        Replay(logged);
        return logged;
    }

    /// <summary>A finding exactly as an earlier check logged it.</summary>
    public void Replay(CheckStamp.Finding finding) =>
        log.Diagnostic(new LoggedDiagnostic(finding.IsError ? LogSeverity.Error : LogSeverity.Warning, finding.Code, finding.HelpLink, finding.File, finding.Line, finding.Column, finding.Message));

    /// <summary>The rule's documentation page as BuildKit links it (<c>https://docs.docker.com/go/dockerfile/rule/json-args-recommended/</c>); null for a rule BuildKit documents nowhere.</summary>
    internal static string? RuleLink(string ruleName) =>
        BuildChecks.Rules.FirstOrDefault(rule => rule.Name == ruleName)?.Url;
}
