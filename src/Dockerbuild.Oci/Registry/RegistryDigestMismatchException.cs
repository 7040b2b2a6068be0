namespace Dockerbuild.Oci.Registry;

/// <summary>Content from the registry does not hash to the digest it was asked for; it was refused.</summary>
public sealed class RegistryDigestMismatchException(string registry, Digest expected, Digest actual, string what)
    : RegistryException(registry, $"{what} {expected} from {registry} arrived with digest {actual}: the content was corrupted in transit or by the registry, and was refused")
{
    public Digest Expected { get; } = expected;

    public Digest Actual { get; } = actual;
}
