using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>LABEL key=value ...</c> (or the legacy <c>LABEL key value</c>).</summary>
public sealed record LabelInstruction(string Keyword, SourceSpan Span, string Original, IReadOnlyList<KeyValue> Labels)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "LABEL";
}
