using Dockerbuild.Publish.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Dockerbuild.Tasks;

/// <summary>The project image build's log as the task's MSBuild messages, errors and warnings.</summary>
internal sealed class MsBuildLog(TaskLoggingHelper log) : IBuildLog
{
    public void Message(LogImportance importance, string text) =>
        log.LogMessage(importance switch
        {
            LogImportance.High => MessageImportance.High,
            LogImportance.Normal => MessageImportance.Normal,
            _ => MessageImportance.Low,
        }, "{0}", text);

    public void Diagnostic(LoggedDiagnostic d)
    {
        if (d.Severity == LogSeverity.Error)
        {
            log.LogError(null, d.Code, null, d.HelpLink, d.File, d.Line, d.Column, 0, 0, "{0}", d.Message);
        }
        else
        {
            log.LogWarning(null, d.Code, null, d.HelpLink, d.File, d.Line, d.Column, 0, 0, "{0}", d.Message);
        }
    }
}
