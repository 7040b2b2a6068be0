using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>HEALTHCHECK NONE</c> or <c>HEALTHCHECK [options] CMD command</c>.</summary>
/// <param name="Command">Null for NONE (which disables any inherited check).</param>
/// <param name="Interval">Null when not given (or given as 0, which means the default).</param>
/// <param name="Retries">Null when not given.</param>
public sealed record HealthcheckInstruction(
    string Keyword,
    SourceSpan Span,
    string Original,
    CommandLine? Command,
    TimeSpan? Interval,
    TimeSpan? Timeout,
    TimeSpan? StartPeriod,
    TimeSpan? StartInterval,
    int? Retries)
    : Instruction(Keyword, Span, Original)
{
    public bool IsNone => Command is null;

    [JsonIgnore]
    public override string Name => "HEALTHCHECK";
}
