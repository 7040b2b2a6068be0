namespace Dockerbuild.Publish.Diagnostics;

/// <summary>An MSBuild error or warning.</summary>
public enum LogSeverity
{
    Error,
    Warning,
}
