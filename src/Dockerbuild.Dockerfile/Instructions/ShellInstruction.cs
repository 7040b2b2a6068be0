using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>SHELL ["executable", "params"...]</c>: the shell used by shell-form commands that follow.</summary>
public sealed record ShellInstruction(string Keyword, SourceSpan Span, string Original, IReadOnlyList<string> Shell)
    : Instruction(Keyword, Span, Original)
{
    [JsonIgnore]
    public override string Name => "SHELL";
}
