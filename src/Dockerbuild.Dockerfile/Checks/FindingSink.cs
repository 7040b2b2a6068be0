namespace Dockerbuild.Dockerfile.Checks;

/// <summary>Collects findings of enabled rules once each (BuildKit shows a repeated warning once).</summary>
internal sealed class FindingSink(CheckConfig config)
{
    private readonly List<CheckFinding> findings = [];
    private readonly HashSet<(string, string, SourceSpan)> seen = [];

    public bool IsEnabled(string rule) => config.IsEnabled(rule);

    public void Report(string rule, string message, SourceSpan span)
    {
        if (config.IsEnabled(rule) && seen.Add((rule, message, span)))
        {
            findings.Add(new CheckFinding(rule, message, span, config.ReturnAsError));
        }
    }

    public IReadOnlyList<CheckFinding> Sorted() =>
        findings.OrderBy(f => f.Span.StartLine).ThenBy(f => f.Span.StartColumn).ToList();
}
