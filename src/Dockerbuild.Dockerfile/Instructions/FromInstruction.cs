using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>FROM [--platform=P] base [AS name]</c>: starts a stage.</summary>
/// <param name="BaseName">The base image or stage, unexpanded (global ARGs apply).</param>
/// <param name="StageName">The name after AS exactly as written (the stage's name is its lower-case form), or null.</param>
/// <param name="Platform">The --platform value, unexpanded, or null.</param>
public sealed record FromInstruction(string Keyword, SourceSpan Span, string Original, string BaseName, string? StageName, string? Platform)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "FROM";
}
