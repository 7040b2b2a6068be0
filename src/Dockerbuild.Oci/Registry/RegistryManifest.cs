namespace Dockerbuild.Oci.Registry;

/// <summary>
/// A manifest or index exactly as the registry served (or will be sent) it: the bytes, their media type
/// and digest. Parse with <see cref="RawJson{T}"/> when the structure is needed.
/// </summary>
public sealed record RegistryManifest
{
    public RegistryManifest(string mediaType, ReadOnlyMemory<byte> content)
    {
        MediaType = mediaType;
        Content = content;
        Digest = Digest.Compute(content.Span);
    }

    public string MediaType { get; }

    public ReadOnlyMemory<byte> Content { get; }

    public Digest Digest { get; }

    public bool IsIndex => MediaTypes.IsIndex(MediaType);

    public Descriptor ToDescriptor() => new(MediaType, Digest, Content.Length);

    public RawJson<ImageManifest> ParseManifest() => RawJson<ImageManifest>.Parse(Content.Span);

    public RawJson<ImageIndex> ParseIndex() => RawJson<ImageIndex>.Parse(Content.Span);
}
