using System.Text.Json.Serialization;

namespace Dockerbuild.Oci;

/// <summary>One step of how the image was made; <see cref="EmptyLayer"/> steps added no layer.</summary>
public sealed record History
{
    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("created_by")]
    public string? CreatedBy { get; init; }

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    [JsonPropertyName("empty_layer")]
    public bool EmptyLayer { get; init; }
}
