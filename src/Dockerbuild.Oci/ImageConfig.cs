using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerbuild.Oci;

/// <summary>
/// The image configuration blob (OCI image config, which Docker's is a superset of). Fields this model
/// does not know (e.g. docker's <c>container_config</c>) are kept in <see cref="Extra"/> so a config
/// read, changed and written again loses nothing.
/// </summary>
public sealed record ImageConfig
{
    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    [JsonPropertyName("architecture")]
    public string Architecture { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("os")]
    public string Os { get; init => field = value ?? ""; } = "";

    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    [JsonPropertyName("config")]
    public ContainerConfig Config { get; init => field = value ?? new(); } = new();

    [JsonPropertyName("rootfs")]
    public RootFs RootFs { get; init => field = value ?? new(); } = new();

    [JsonPropertyName("history")]
    public IReadOnlyList<History>? History { get; init; }

    /// <summary>Fields of the document this model does not name, written back unchanged.</summary>
    [JsonExtensionData]
    [JsonInclude]
    public Dictionary<string, JsonElement>? Extra { get; internal set; }

    /// <summary>The platform the config declares.</summary>
    [JsonIgnore]
    public Platform Platform => new(Os, Architecture) { Variant = Variant, OsVersion = OsVersion, OsFeatures = OsFeatures };

    /// <summary>A copy with one more layer on top and the history step that made it.</summary>
    public ImageConfig WithLayer(Digest diffId, History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return this with
        {
            RootFs = RootFs with { DiffIds = [.. RootFs.DiffIds, diffId] },
            History = [.. History ?? [], history with { EmptyLayer = false }],
        };
    }

    /// <summary>A copy with a history step that changed only metadata (ENV, CMD, ...): no layer.</summary>
    public ImageConfig WithEmptyLayerHistory(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return this with { History = [.. History ?? [], history with { EmptyLayer = true }] };
    }

    /// <summary>A copy declaring <paramref name="platform"/>.</summary>
    public ImageConfig WithPlatform(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return this with
        {
            Os = platform.Os,
            Architecture = platform.Architecture,
            Variant = platform.Variant,
            OsVersion = platform.OsVersion,
            OsFeatures = platform.OsFeatures,
        };
    }
}
