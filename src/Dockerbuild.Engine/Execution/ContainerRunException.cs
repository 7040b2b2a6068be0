namespace Dockerbuild.Engine.Execution;

/// <summary>
/// <c>run</c> could not start the container's command; <see cref="ExitCode"/> is docker's for the case:
/// 125 for its own errors, 126 when the command cannot be executed, 127 when it is not found.
/// </summary>
public sealed class ContainerRunException : Exception
{
    public const int RunError = 125;
    public const int NotExecutable = 126;
    public const int NotFound = 127;

    public ContainerRunException(string message, int exitCode)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public ContainerRunException(string message, int exitCode, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
