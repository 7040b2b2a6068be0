using System.Text.Json.Serialization;

namespace Dockerbuild.Oci;

/// <summary>
/// The image's layers by uncompressed digest (diffID), bottom first. A JSON null (Go's nil slice, as
/// written for an image without layers) reads as empty.
/// </summary>
public sealed record RootFs
{
    [JsonPropertyName("type")]
    public string Type { get; init => field = value ?? "layers"; } = "layers";

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<Digest> DiffIds { get; init => field = value ?? []; } = [];
}
