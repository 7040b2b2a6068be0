using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>The command of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD.</summary>
/// <param name="IsExecForm">True for the JSON array form, run without a shell.</param>
/// <param name="Arguments">Exec form: the array elements. Shell form: one element, the command text as written.</param>
/// <param name="Heredocs">Heredocs whose bodies belong to the command (shell form only); run <see cref="Heredoc.Body"/>.</param>
public sealed record CommandLine(bool IsExecForm, IReadOnlyList<string> Arguments, IReadOnlyList<Heredoc> Heredocs)
{
    /// <summary>The shell form's text, or null for the exec form.</summary>
    public string? ShellText => IsExecForm ? null : Arguments.Count > 0 ? Arguments[0] : "";
}
