using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Tasks.Incremental;
using Microsoft.Build.Utilities;

namespace Dockerbuild.Tasks.Diagnostics;

/// <summary>Coded errors and warnings at a file location, through the task's <see cref="TaskLoggingHelper"/>.</summary>
internal sealed class DiagnosticLog(TaskLoggingHelper log)
{
    public TaskLoggingHelper Log => log;

    public void Error(string code, DiagnosticLocation location, string message) =>
        log.LogError(null, code, null, null, location.File, location.Line, location.Column, 0, 0, "{0}", message);

    public void Warning(string code, DiagnosticLocation location, string message) =>
        log.LogWarning(null, code, null, null, location.File, location.Line, location.Column, 0, 0, "{0}", message);

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
    public void Replay(CheckStamp.Finding finding)
    {
        if (finding.IsError)
        {
            log.LogError(null, finding.Code, null, finding.HelpLink, finding.File, finding.Line, finding.Column, 0, 0, "{0}", finding.Message);
        }
        else
        {
            log.LogWarning(null, finding.Code, null, finding.HelpLink, finding.File, finding.Line, finding.Column, 0, 0, "{0}", finding.Message);
        }
    }

    /// <summary>BuildKit's short links: <c>https://docs.docker.com/go/dockerfile/rule/json-args-recommended/</c>.</summary>
    internal static string RuleLink(string ruleName)
    {
        var kebab = new System.Text.StringBuilder();
        for (var i = 0; i < ruleName.Length; i++)
        {
            var c = ruleName[i];
            // A capital starts a word unless it continues an acronym (JSONArgs -> json-args).
            var startsWord = char.IsUpper(c) && i > 0
                && (char.IsLower(ruleName[i - 1]) || (i + 1 < ruleName.Length && char.IsLower(ruleName[i + 1])));
            if (startsWord)
            {
                kebab.Append('-');
            }

            kebab.Append(char.ToLowerInvariant(c));
        }

        return $"https://docs.docker.com/go/dockerfile/rule/{kebab}/";
    }
}
