namespace Dockerbuild.Dockerfile.Checks;

/// <summary>One build-check finding, as BuildKit's linter reports it.</summary>
/// <param name="RuleName">BuildKit's rule name, e.g. <c>JSONArgsRecommended</c>.</param>
/// <param name="Message">BuildKit's message text for the finding.</param>
/// <param name="Span">Where it applies (MSBuild reports it as file(line,col)).</param>
/// <param name="IsError">True when <c># check=error=true</c> turns findings into errors.</param>
public sealed record CheckFinding(string RuleName, string Message, SourceSpan Span, bool IsError)
{
    /// <summary>Compiler style, as the CLI prints it: <c>file:line:col: RuleName: message</c>.</summary>
    public override string ToString() => $"{Span}: {RuleName}: {Message}";
}
