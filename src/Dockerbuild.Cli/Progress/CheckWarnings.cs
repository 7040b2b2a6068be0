using Dockerbuild.Engine.Execution;

namespace Dockerbuild.Cli.Progress;

/// <summary>
/// Build check findings, held until the build ends and then listed as buildx lists them:
/// a blank line, <c> 2 warnings found:</c>, then <c> - RuleName: message (line N)</c> per finding.
/// </summary>
internal sealed class CheckWarnings
{
    private readonly List<string> findings = [];

    /// <summary>Keeps a check finding; false for any other event.</summary>
    public bool TryAdd(BuildEvent value)
    {
        if (value.Kind != BuildEventKind.CheckWarning)
        {
            return false;
        }

        findings.Add(value.Text);
        return true;
    }

    public void WriteTo(TextWriter writer)
    {
        if (findings.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine(findings.Count == 1 ? " 1 warning found:" : $" {findings.Count} warnings found:");
        foreach (var finding in findings)
        {
            writer.WriteLine(" - " + finding);
        }

        findings.Clear();
    }
}
