namespace Dockerbuild.Oci.Registry;

/// <summary>Finds the credentials for a registry host (e.g. <c>ghcr.io</c>, <c>127.0.0.1:5000</c>, <c>docker.io</c>).</summary>
public interface IRegistryCredentialProvider
{
    /// <returns>The credentials, or null to go anonymous.</returns>
    ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken);
}
