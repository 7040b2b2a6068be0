using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>COPY [flags] src... dest</c>: from the context, a stage (--from) or heredocs.</summary>
/// <param name="From">--from: a stage name or index, an image, or a named context; null for the build context.</param>
public sealed record CopyInstruction(
    string Keyword,
    SourceSpan Span,
    string Original,
    SourcesAndDestination Sources,
    string? From,
    string? Chown,
    string? Chmod,
    bool Link,
    bool Parents,
    IReadOnlyList<string> Excludes)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "COPY";
}
