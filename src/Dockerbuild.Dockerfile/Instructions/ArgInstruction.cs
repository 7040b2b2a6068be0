using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>ARG name[=default] ...</c>. Before the first FROM these are the global (meta) ARGs.</summary>
public sealed record ArgInstruction(string Keyword, SourceSpan Span, string Original, IReadOnlyList<ArgDeclaration> Args)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "ARG";
}
