using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>STOPSIGNAL signal</c> (name or number, unexpanded).</summary>
public sealed record StopsignalInstruction(string Keyword, SourceSpan Span, string Original, string Signal)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "STOPSIGNAL";
}
