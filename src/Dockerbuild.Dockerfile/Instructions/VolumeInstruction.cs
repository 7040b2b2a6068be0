using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>VOLUME path ...</c> or its JSON form.</summary>
public sealed record VolumeInstruction(string Keyword, SourceSpan Span, string Original, IReadOnlyList<string> Paths)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "VOLUME";
}
