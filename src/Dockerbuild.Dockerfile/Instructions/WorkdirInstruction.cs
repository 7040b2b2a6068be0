using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>WORKDIR path</c>; relative paths resolve against the previous working directory.</summary>
public sealed record WorkdirInstruction(string Keyword, SourceSpan Span, string Original, string Path)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "WORKDIR";
}
