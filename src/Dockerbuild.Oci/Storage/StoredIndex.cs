using System.Text.Json.Serialization;

namespace Dockerbuild.Oci.Storage;

/// <summary>The image store's one file: names → manifest digest, and the images themselves.</summary>
internal sealed class StoredIndex
{
    [JsonPropertyName("names")]
    public SortedDictionary<string, string> Names { get; init; } = new(StringComparer.Ordinal);

    [JsonPropertyName("images")]
    public SortedDictionary<string, StoredImage> Images { get; init; } = new(StringComparer.Ordinal);
}
