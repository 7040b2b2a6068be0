namespace Dockerbuild.Oci;

/// <summary>Content did not hash (or measure) to what its descriptor promised: it is corrupt or truncated.</summary>
public sealed class DigestMismatchException : IOException
{
    public DigestMismatchException(string message)
        : base(message)
    {
    }

    public DigestMismatchException(Digest expected, Digest actual, string what)
        : base($"{what} is corrupt: expected digest {expected}, got {actual}.")
    {
        Expected = expected;
        Actual = actual;
    }

    public Digest? Expected { get; }

    public Digest? Actual { get; }
}
