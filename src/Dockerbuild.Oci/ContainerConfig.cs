using System.Text.Json.Serialization;
using Dockerbuild.Oci.Json;

namespace Dockerbuild.Oci;

/// <summary>
/// The image config's <c>config</c> object: the OCI execution parameters plus Docker's extensions
/// (Healthcheck, OnBuild, Shell), with Docker's capitalized field names.
/// </summary>
public sealed record ContainerConfig
{
    [JsonPropertyName("User")]
    public string? User { get; init; }

    /// <summary>Ports as <c>port/proto</c> (e.g. <c>80/tcp</c>); a JSON object of empty objects on disk.</summary>
    [JsonPropertyName("ExposedPorts")]
    [JsonConverter(typeof(StringSetConverter))]
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Volume paths; a JSON object of empty objects on disk.</summary>
    [JsonPropertyName("Volumes")]
    [JsonConverter(typeof(StringSetConverter))]
    public IReadOnlyList<string>? Volumes { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    [JsonPropertyName("StopSignal")]
    public string? StopSignal { get; init; }

    [JsonPropertyName("ArgsEscaped")]
    public bool ArgsEscaped { get; init; }

    [JsonPropertyName("Healthcheck")]
    public Healthcheck? Healthcheck { get; init; }

    [JsonPropertyName("OnBuild")]
    public IReadOnlyList<string>? OnBuild { get; init; }

    [JsonPropertyName("Shell")]
    public IReadOnlyList<string>? Shell { get; init; }
}
