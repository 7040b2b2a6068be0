using System.Text.Json.Serialization;

namespace Dockerbuild.Oci;

/// <summary>The image's layers by uncompressed digest (diffID), bottom first.</summary>
public sealed record RootFs
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "layers";

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<Digest> DiffIds { get; init; } = [];
}
