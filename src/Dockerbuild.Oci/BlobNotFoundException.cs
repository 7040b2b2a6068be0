namespace Dockerbuild.Oci;

/// <summary>A blob a manifest or index refers to is not where it should be.</summary>
public sealed class BlobNotFoundException : FileNotFoundException
{
    public BlobNotFoundException(Digest digest, string where)
        : base($"blob {digest} not found in {where}.")
    {
        Digest = digest;
    }

    public Digest Digest { get; }
}
