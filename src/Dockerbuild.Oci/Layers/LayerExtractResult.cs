namespace Dockerbuild.Oci.Layers;

/// <summary>
/// What an extraction did: entries applied, what was left out (each with why), and the diffID of
/// the uncompressed tar, for the caller to check against the image config's rootfs.diff_ids.
/// </summary>
public sealed record LayerExtractResult(int EntryCount, IReadOnlyList<string> Warnings, Digest DiffId);
