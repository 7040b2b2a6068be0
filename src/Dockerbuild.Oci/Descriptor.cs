using System.Text.Json.Serialization;

namespace Dockerbuild.Oci;

/// <summary>
/// Points at content by digest: what it is (media type), which bytes (digest) and how many (size), as
/// the OCI image spec's content descriptor.
/// </summary>
public sealed record Descriptor
{
    [JsonConstructor]
    public Descriptor(string mediaType, Digest digest, long size)
    {
        MediaType = mediaType;
        Digest = digest;
        Size = size;
    }

    [JsonPropertyName("mediaType")]
    public string MediaType { get; init; }

    [JsonPropertyName("digest")]
    public Digest Digest { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("urls")]
    public IReadOnlyList<string>? Urls { get; init; }

    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [JsonPropertyName("platform")]
    public Platform? Platform { get; init; }

    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    /// <summary>Describes exactly these bytes.</summary>
    public static Descriptor For(string mediaType, ReadOnlySpan<byte> content) =>
        new(mediaType, Digest.Compute(content), content.Length);

    /// <summary>The annotation's value, or null.</summary>
    public string? Annotation(string key) =>
        Annotations is not null && Annotations.TryGetValue(key, out var value) ? value : null;
}
