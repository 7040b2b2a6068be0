using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>One platform's image of a build: its manifest (whose descriptor names the platform) and config.</summary>
/// <param name="Manifest">The OCI manifest's descriptor, with <see cref="Descriptor.Platform"/> set.</param>
/// <param name="ConfigDigest">The config's digest (docker's image id).</param>
public sealed record PlatformImage(Descriptor Manifest, Digest ConfigDigest, ImageConfig Config)
{
    public Digest ManifestDigest => Manifest.Digest;

    public Platform Platform => Manifest.Platform!;
}
