using System.Text.Json.Serialization;

namespace Dockerbuild.Oci;

/// <summary>An OCI image index or a Docker manifest list: manifests, usually one per platform.</summary>
public sealed record ImageIndex
{
    [JsonConstructor]
    public ImageIndex(IReadOnlyList<Descriptor> manifests)
    {
        Manifests = manifests ?? [];
    }

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    [JsonPropertyName("manifests")]
    public IReadOnlyList<Descriptor> Manifests { get; init; }

    [JsonPropertyName("subject")]
    public Descriptor? Subject { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>
    /// The manifest to run on <paramref name="platform"/>: the best variant match among entries with a
    /// platform (attestation manifests with platform unknown/unknown never match), or null.
    /// </summary>
    public Descriptor? FindManifest(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        Descriptor? best = null;
        var bestRank = int.MaxValue;
        foreach (var manifest in Manifests)
        {
            if (manifest.Platform is null || !MediaTypes.IsManifest(manifest.MediaType) && !MediaTypes.IsIndex(manifest.MediaType))
            {
                continue;
            }

            var rank = platform.MatchRank(manifest.Platform);
            if (rank >= 0 && rank < bestRank)
            {
                best = manifest;
                bestRank = rank;
            }
        }

        return best;
    }
}
