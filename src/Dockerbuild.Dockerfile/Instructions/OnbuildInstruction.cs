using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>ONBUILD instruction</c>: a trigger stored in the image and run by builds that use it as a base.</summary>
/// <param name="Trigger">The nested instruction, bound (FROM, MAINTAINER and ONBUILD are not allowed).</param>
/// <param name="Expression">The trigger's text as stored in the image config (heredoc bodies appended).</param>
public sealed record OnbuildInstruction(string Keyword, SourceSpan Span, string Original, Instruction Trigger, string Expression)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "ONBUILD";
}
