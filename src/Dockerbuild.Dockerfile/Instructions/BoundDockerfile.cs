using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>A Dockerfile bound to typed instructions: global ARGs and stages.</summary>
/// <param name="GlobalArgs">ARG instructions before the first FROM.</param>
/// <param name="Stages">Stages in file order (never empty).</param>
/// <param name="Directives">Parser directives (syntax, escape, check).</param>
/// <param name="EscapeToken">'\\' or '`', for word expansion.</param>
/// <param name="File">The name used in spans and errors.</param>
public sealed record BoundDockerfile(
    IReadOnlyList<ArgInstruction> GlobalArgs,
    IReadOnlyList<Stage> Stages,
    IReadOnlyList<Directive> Directives,
    char EscapeToken,
    string File)
{
    /// <summary>Parses and binds Dockerfile text: <see cref="DockerfileParser.Parse"/> then <see cref="DockerfileBinder.Bind"/>.</summary>
    /// <exception cref="DockerfileException">The text does not parse or does not bind.</exception>
    public static BoundDockerfile Load(string text, string fileName) => DockerfileBinder.Bind(DockerfileParser.Parse(text, fileName));
}
