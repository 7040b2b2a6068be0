using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>ENV key=value ...</c> (or the legacy <c>ENV key value</c>).</summary>
public sealed record EnvInstruction(string Keyword, SourceSpan Span, string Original, IReadOnlyList<KeyValue> Variables)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "ENV";
}
