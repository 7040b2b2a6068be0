using Dockerbuild.Dockerfile;

namespace Dockerbuild.Engine.Execution;

/// <summary>A RUN exited with a non-zero code: names the Dockerfile line, the exit code and the output's last lines.</summary>
public sealed class BuildStepException : BuildException
{
    public BuildStepException(SourceSpan span, string command, int exitCode, IReadOnlyList<string> outputTail)
        : base($"{span.File}:{span.StartLine}: process \"{command}\" did not complete successfully: exit code: {exitCode}")
    {
        Span = span;
        ExitCode = exitCode;
        OutputTail = outputTail;
    }

    public SourceSpan Span { get; }

    public int ExitCode { get; }

    /// <summary>The last lines the command printed (secrets never reach them: they are files, not output of ours).</summary>
    public IReadOnlyList<string> OutputTail { get; }
}
