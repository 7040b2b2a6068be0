using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// The image a build produced, stored in the local store under its tags: one platform's manifest, or for
/// a multi-platform build (<c>--platform a,b</c>) an OCI image index of one manifest per platform.
/// </summary>
/// <param name="Manifest">What the tags name: the image manifest, or the index of a multi-platform build.</param>
/// <param name="Platforms">The image of each platform, in the order asked; one for a single-platform build.</param>
/// <param name="Tags">The names it was tagged with.</param>
public sealed record BuildResult(Descriptor Manifest, IReadOnlyList<PlatformImage> Platforms, IReadOnlyList<ImageReference> Tags)
{
    /// <summary>A single-platform result: <paramref name="image"/> is what the tags name.</summary>
    public BuildResult(PlatformImage image, IReadOnlyList<ImageReference> tags)
        : this((image ?? throw new ArgumentNullException(nameof(image))).Manifest, [image], tags)
    {
    }

    /// <summary>SOURCE_DATE_EPOCH when the build had one: BuildKit's export time in the build metadata.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>Whether the build wrote an image index (several platforms).</summary>
    public bool IsIndex => MediaTypes.IsIndex(Manifest.MediaType);

    /// <summary>The digest the tags name (the local store's key): the manifest's, or the index's.</summary>
    public Digest ManifestDigest => Manifest.Digest;

    /// <summary>
    /// The image ID as buildx reports it (<c>--iidfile</c>, <c>-q</c>): the config digest of a
    /// single-platform image, the index digest of a multi-platform one (BuildKit's exporter gives a config
    /// digest only for a single manifest).
    /// </summary>
    public Digest ImageId => IsIndex ? Manifest.Digest : Single.ConfigDigest;

    /// <summary>The config's digest (docker's image id) of a single-platform image.</summary>
    public Digest ConfigDigest => Single.ConfigDigest;

    /// <summary>The config of a single-platform image.</summary>
    public ImageConfig Config => Single.Config;

    private PlatformImage Single => IsIndex
        ? throw new InvalidOperationException("A multi-platform build has one config per platform: read them from Platforms.")
        : Platforms[0];
}
