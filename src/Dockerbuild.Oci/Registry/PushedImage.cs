namespace Dockerbuild.Oci.Registry;

/// <summary>The result of a push: the manifest digest and how each blob got there.</summary>
public sealed record PushedImage(ImageReference Repository, Digest Digest, IReadOnlyList<string> Tags, IReadOnlyDictionary<Digest, BlobPushResult> Blobs);
