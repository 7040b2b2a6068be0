namespace Dockerbuild.Oci.Registry;

/// <summary>A <c>docker-credential-*</c> helper was missing or failed; the message names it and the registry.</summary>
public sealed class CredentialHelperException(string helper, string registry, string message, Exception? innerException = null)
    : RegistryException(registry, $"credential helper docker-credential-{helper} failed for {registry}: {message}", innerException)
{
    public string Helper { get; } = helper;
}
