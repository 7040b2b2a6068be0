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

    /// <summary>
    /// The stage a <c>COPY --from</c>, <c>--mount=from=</c> or FROM refers to, as BuildKit resolves it: a
    /// number is a stage index, anything else a stage name (case-insensitive). Null when no stage
    /// matches, so the reference is an image or a named context. Whether the stage comes early enough
    /// is the caller's to check (BuildKit: a stage can only use stages defined before it).
    /// </summary>
    public Stage? FindStage(string reference)
    {
        if (int.TryParse(reference, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return index < Stages.Count ? Stages[index] : null;
        }

        return Stages.FirstOrDefault(s => string.Equals(s.Name, reference, StringComparison.OrdinalIgnoreCase));
    }
}
