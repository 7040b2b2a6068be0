using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>RUN [--mount=...] [--network=...] [--security=...] command</c>.</summary>
/// <param name="Network">Null when --network was not given (the build's default applies).</param>
/// <param name="Security">Null when --security was not given (sandbox).</param>
public sealed record RunInstruction(
    string Keyword,
    SourceSpan Span,
    string Original,
    CommandLine Command,
    IReadOnlyList<RunMount> Mounts,
    RunNetwork? Network,
    RunSecurity? Security)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "RUN";
}
