using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>CMD</c>: the image's default command (or ENTRYPOINT's default arguments).</summary>
public sealed record CmdInstruction(string Keyword, SourceSpan Span, string Original, CommandLine Command)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "CMD";
}
