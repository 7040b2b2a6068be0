using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>EXPOSE port[/proto] ...</c>; ports are unexpanded words (an expanded word may hold several ports).</summary>
public sealed record ExposeInstruction(string Keyword, SourceSpan Span, string Original, IReadOnlyList<string> Ports)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "EXPOSE";
}
