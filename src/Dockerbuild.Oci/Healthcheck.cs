using System.Text.Json.Serialization;
using Dockerbuild.Oci.Json;

namespace Dockerbuild.Oci;

/// <summary>
/// Docker's HEALTHCHECK: <see cref="Test"/> is <c>["NONE"]</c>, <c>["CMD", args...]</c> or
/// <c>["CMD-SHELL", command]</c>; durations are written as Go nanoseconds, zero meaning "inherit".
/// </summary>
public sealed record Healthcheck
{
    [JsonPropertyName("Test")]
    public IReadOnlyList<string>? Test { get; init; }

    [JsonPropertyName("Interval")]
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan Interval { get; init; }

    [JsonPropertyName("Timeout")]
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan Timeout { get; init; }

    [JsonPropertyName("StartPeriod")]
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan StartPeriod { get; init; }

    [JsonPropertyName("StartInterval")]
    [JsonConverter(typeof(NanosecondsConverter))]
    public TimeSpan StartInterval { get; init; }

    [JsonPropertyName("Retries")]
    public int Retries { get; init; }
}
