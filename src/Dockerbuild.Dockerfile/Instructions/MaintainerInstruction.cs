namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>MAINTAINER text</c> (deprecated: sets the image author).</summary>
public sealed record MaintainerInstruction(string Keyword, SourceSpan Span, string Original, string Maintainer)
    : Instruction(Keyword, Span, Original)
{
    public override string Name => "MAINTAINER";
}
