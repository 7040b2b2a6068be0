namespace Dockerbuild.Publish;

/// <summary>The built (or up-to-date) image: its manifest and config digests and its names.</summary>
public sealed record ProjectImageResult(string ManifestDigest, string ConfigDigest, List<ProjectImageName> Images);
