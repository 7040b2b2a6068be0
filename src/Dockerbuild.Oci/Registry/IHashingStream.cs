namespace Dockerbuild.Oci.Registry;

/// <summary>
/// A destination stream that hashes what is written to it (the blob store's), so a download verifies with
/// that hash instead of computing a second one over the same bytes.
/// </summary>
internal interface IHashingStream
{
    /// <summary>Bytes written so far.</summary>
    long Written { get; }

    /// <summary>The sha256 digest of the bytes written so far; writing may go on.</summary>
    Digest CurrentSha256();
}
