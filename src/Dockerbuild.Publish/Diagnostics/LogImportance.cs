namespace Dockerbuild.Publish.Diagnostics;

/// <summary>MSBuild's message importance: normal shows at -v:n, low at -v:d, high always.</summary>
public enum LogImportance
{
    High,
    Normal,
    Low,
}
