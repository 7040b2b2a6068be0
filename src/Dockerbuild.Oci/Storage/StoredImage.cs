using System.Text.Json.Serialization;

namespace Dockerbuild.Oci.Storage;

internal sealed record StoredImage
{
    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }
}
