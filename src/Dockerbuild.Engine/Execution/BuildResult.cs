using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>The image a build produced, stored in the local store.</summary>
/// <param name="ManifestDigest">What <c>--iidfile</c> holds for an OCI store (the image's id in the local store).</param>
/// <param name="ConfigDigest">The config's digest (docker's image id).</param>
/// <param name="Tags">The names it was tagged with.</param>
public sealed record BuildResult(Digest ManifestDigest, Digest ConfigDigest, Descriptor Manifest, ImageConfig Config, IReadOnlyList<ImageReference> Tags)
{
    /// <summary>SOURCE_DATE_EPOCH when the build had one: BuildKit's export time in the build metadata.</summary>
    public DateTimeOffset? SourceDateEpoch { get; init; }
}
