using System.Text.Json.Serialization;

namespace Dockerbuild.Oci;

/// <summary>An image manifest (OCI or Docker schema 2): one config and its layers, bottom first.</summary>
public sealed record ImageManifest
{
    [JsonConstructor]
    public ImageManifest(Descriptor config, IReadOnlyList<Descriptor> layers)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        Layers = layers ?? [];
    }

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("config")]
    public Descriptor Config { get; init; }

    [JsonPropertyName("layers")]
    public IReadOnlyList<Descriptor> Layers { get; init; }

    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>A copy with one more layer on top.</summary>
    public ImageManifest WithLayer(Descriptor layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return this with { Layers = [.. Layers, layer] };
    }

    /// <summary>Whether this is Docker's schema 2 rather than OCI (the field is optional in OCI).</summary>
    [JsonIgnore]
    public bool IsDocker => MediaType == MediaTypes.DockerManifest;
}
