using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>USER user[:group]</c>.</summary>
public sealed record UserInstruction(string Keyword, SourceSpan Span, string Original, string User)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "USER";
}
