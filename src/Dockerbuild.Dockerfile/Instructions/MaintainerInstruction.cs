using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>MAINTAINER text</c> (deprecated: sets the image author).</summary>
public sealed record MaintainerInstruction(string Keyword, SourceSpan Span, string Original, string Maintainer)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "MAINTAINER";
}
