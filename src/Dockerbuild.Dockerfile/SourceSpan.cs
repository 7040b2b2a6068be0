namespace Dockerbuild.Dockerfile;

/// <summary>
/// Where something stands in a Dockerfile. Lines and columns are 1-based; the end is inclusive
/// (the last line of a continued instruction). Every node, instruction, finding and error carries one.
/// </summary>
public sealed record SourceSpan(string File, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>MSBuild/compiler style: <c>file(line,col)</c>.</summary>
    public string ToMsBuildString() => $"{File}({StartLine},{StartColumn})";

    /// <summary>Compiler style used by the CLI: <c>file:line:col</c>.</summary>
    public override string ToString() => $"{File}:{StartLine}:{StartColumn}";
}
