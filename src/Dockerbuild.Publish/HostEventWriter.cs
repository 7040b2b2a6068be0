using Dockerbuild.Publish.Diagnostics;

namespace Dockerbuild.Publish;

/// <summary>Writes the build's log as events, one line each, flushed at once so the task shows them live.</summary>
public sealed class HostEventWriter(TextWriter output) : IBuildLog
{
    private readonly Lock gate = new();

    public void Message(LogImportance importance, string text) => Write(new HostEvent { Importance = importance, Text = text });

    public void Diagnostic(LoggedDiagnostic diagnostic) => Write(new HostEvent { Diagnostic = diagnostic });

    public void Result(ProjectImageResult result) => Write(new HostEvent { Result = result });

    private void Write(HostEvent value)
    {
        var line = HostProtocol.Line(value);
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
