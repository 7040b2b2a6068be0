namespace Dockerbuild.Oci;

/// <summary>An image (its manifest or index descriptor) with the names it goes by, as saved, loaded or exported.</summary>
public sealed record NamedImage(Descriptor Manifest, IReadOnlyList<ImageReference> Names);
