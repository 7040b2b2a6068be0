using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>ENTRYPOINT</c>: the image's entry point. An empty exec form (<c>ENTRYPOINT []</c>) clears it.</summary>
public sealed record EntrypointInstruction(string Keyword, SourceSpan Span, string Original, CommandLine Command)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "ENTRYPOINT";
}
