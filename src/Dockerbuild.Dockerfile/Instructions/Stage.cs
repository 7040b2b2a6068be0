namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>A build stage: a FROM and the instructions up to the next FROM.</summary>
/// <param name="Name">The lower-cased name after AS, or null.</param>
/// <param name="Index">0-based position (what <c>COPY --from=0</c> refers to).</param>
/// <param name="BaseName">The base image or stage, unexpanded.</param>
/// <param name="Platform">FROM --platform, unexpanded, or null.</param>
/// <param name="Instructions">The instructions after FROM, in order.</param>
/// <param name="Span">The FROM instruction's span.</param>
public sealed record Stage(string? Name, int Index, string BaseName, string? Platform, IReadOnlyList<Instruction> Instructions, SourceSpan Span);
