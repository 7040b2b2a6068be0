using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>ADD [flags] src... dest</c>: context files, URLs, git repositories or heredocs.</summary>
/// <param name="Unpack">--unpack as given; null when absent (archives from the context unpack, URLs do not).</param>
public sealed record AddInstruction(
    string Keyword,
    SourceSpan Span,
    string Original,
    SourcesAndDestination Sources,
    string? Chown,
    string? Chmod,
    bool Link,
    bool KeepGitDir,
    string? Checksum,
    bool? Unpack,
    IReadOnlyList<string> Excludes)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "ADD";
}
